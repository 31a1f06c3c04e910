using Kobbopay.Cli.Configuration;
using Kobbopay.Contracts;
using Kobbopay.Shared.Webhooks;
using Kobbopay.Webhooks;

namespace Kobbopay.Cli.Doctor;

/// <summary>
/// Checks that a webhook secret is set, does not look like a placeholder (the rule the webhook endpoint applies at start:
/// <see cref="WebhookSecretRule"/>), and has the shape its scheme needs, by building the scheme's verifier with it (Kobbopay.Webhooks).
/// </summary>
internal static class WebhookSecretCheck
{
    /// <summary>Checks the webhook scheme and secret.</summary>
    /// <param name="settings">The settings.</param>
    /// <returns>The finding.</returns>
    public static DoctorCheck Check(CliSettings settings)
    {
        const string name = CliSettingNames.WebhookSecret;
        string scheme = settings.WebhookScheme ?? HmacSha256HexSignatureScheme.SchemeName;
        bool standard = string.Equals(scheme, StandardWebhooksSignatureScheme.SchemeName, StringComparison.OrdinalIgnoreCase);
        if (!standard && !string.Equals(scheme, HmacSha256HexSignatureScheme.SchemeName, StringComparison.OrdinalIgnoreCase))
        {
            return DoctorCheck.Fail(CliSettingNames.WebhookScheme, $"{CliSettingNames.WebhookScheme} must be {HmacSha256HexSignatureScheme.SchemeName} or {StandardWebhooksSignatureScheme.SchemeName}; it is '{scheme}'.");
        }

        string? secret = settings.WebhookSecret;
        if (secret is null)
        {
            return DoctorCheck.Warn(name, $"{name} is not set: without the signing secret your webhook endpoint cannot verify deliveries ({scheme}).");
        }

        if (WebhookSecretRule.Problem(secret) is { } problem)
        {
            return DoctorCheck.Fail(name, $"{name} {problem}");
        }

        try
        {
            _ = standard ? (IWebhookSignatureScheme)new StandardWebhooksSignatureScheme([secret]) : new HmacSha256HexSignatureScheme([secret]);
        }
        catch (ArgumentException)
        {
            return DoctorCheck.Fail(name, $"{name} is not a {scheme} secret: expected {(standard ? KobbopayPrefixes.StandardWebhooksSecret + " followed by base64" : "the secret text")} ({CliSettingNames.WebhookScheme} is {scheme}).");
        }

        bool prefixed = secret.StartsWith(KobbopayPrefixes.StandardWebhooksSecret, StringComparison.Ordinal);
        if (!standard && prefixed)
        {
            return DoctorCheck.Warn(name, $"{name} looks like a Standard Webhooks secret ({KobbopayPrefixes.StandardWebhooksSecret}…) but {CliSettingNames.WebhookScheme} is {scheme}: set it to {StandardWebhooksSignatureScheme.SchemeName} if that is what the gateway signs with.");
        }

        return standard && !prefixed
            ? DoctorCheck.Warn(name, $"{name} is base64 without the {KobbopayPrefixes.StandardWebhooksSecret} prefix; it works, but check it is the whole secret.")
            : DoctorCheck.Ok(name, $"set, and of the {scheme} shape.");
    }
}
