using System.Buffers.Text;
using Kobbopay.Contracts;
using Kobbopay.Shared.Webhooks;
using Kobbopay.Webhooks;
using Microsoft.Extensions.Options;

namespace Kobbopay.AspNetCore.Internal;

/// <summary>
/// Validates the webhook endpoint's options: each setting's rule (checked by <see cref="KobbopayWebhookOptionsValidator"/>,
/// the generated validator) and the signature settings, whose rules depend on the scheme and are skipped when the
/// application supplies its own scheme. Every message names its setting by configuration key and none shows a secret.
/// </summary>
/// <remarks>
/// The generated validator is not registered on its own: the options framework would call it with the options' name,
/// and the messages need the configuration path, which only the registration knows.
/// </remarks>
/// <param name="registration">Where the options are bound from and whether a scheme of the application's replaces the options' one.</param>
internal sealed class KobbopayWebhookOptionsCustomValidator(KobbopayWebhooksRegistration registration) : IValidateOptions<KobbopayWebhookOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, KobbopayWebhookOptions options)
    {
        if (!string.Equals(name, Options.DefaultName, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        string section = registration.Section;
        ValidateOptionsResultBuilder builder = new();
        builder.AddResult(new KobbopayWebhookOptionsValidator().Validate(section, options));
        if (registration.SignatureScheme is null)
        {
            AddSchemeErrors(builder, options, section);
        }

        AddIngressErrors(builder, options, section);

        return builder.Build();
    }

    private static void AddSchemeErrors(ValidateOptionsResultBuilder builder, KobbopayWebhookOptions options, string section)
    {
        string? scheme = options.Scheme;
        bool hmac = KobbopayWebhookOptions.IsHmac(scheme);
        bool standard = KobbopayWebhookOptions.IsStandardWebhooks(scheme);
        if (!hmac && !standard)
        {
            string shown = scheme is null ? "(null)" : scheme.Length > 40 ? string.Concat(scheme.AsSpan(0, 40), "…") : scheme;
            builder.AddError($"{section}:Scheme must be {HmacSha256HexSignatureScheme.SchemeName} or {StandardWebhooksSignatureScheme.SchemeName}; it is '{shown}'.");
        }

        IList<string>? secrets = options.Secrets;
        if (secrets is null || secrets.Count == 0)
        {
            builder.AddError($"{section}:Secrets is required: at least one webhook signing secret from your environment's integration materials (list two while rotating). Without one the endpoint would have nothing to verify deliveries against.");
        }
        else
        {
            for (int i = 0; i < secrets.Count; i++)
            {
                string? secret = secrets[i];
                if (WebhookSecretRule.Problem(secret) is { } problem)
                {
                    builder.AddError($"{section}:Secrets:{i} {problem}");
                }
                else if (standard && !IsStandardWebhooksSecret(secret!))
                {
                    builder.AddError($"{section}:Secrets:{i} is not a Standard Webhooks secret: expected whsec_ followed by base64.");
                }
            }
        }

        string? header = options.SignatureHeaderName;
        if (hmac && (string.IsNullOrWhiteSpace(header) || !header.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            builder.AddError($"{section}:SignatureHeaderName must be a header name of letters, digits, '-' or '_'.");
        }

        if (standard && (options.Tolerance <= TimeSpan.Zero || options.Tolerance > TimeSpan.FromDays(1)))
        {
            builder.AddError($"{section}:Tolerance must be more than zero and at most one day; it is {options.Tolerance}.");
        }
    }

    private static void AddIngressErrors(ValidateOptionsResultBuilder builder, KobbopayWebhookOptions options, string section)
    {
        for (int i = 0; i < options.AllowedNetworks.Count; i++)
        {
            string? network = options.AllowedNetworks[i];
            if (!WebhookIngressPolicy.IsNetwork(network))
            {
                string shown = network is null ? "(null)" : network.Length > 50 ? string.Concat(network.AsSpan(0, 50), "…") : network;
                builder.AddError($"{section}:AllowedNetworks:{i} ('{shown}') is not a network in CIDR notation with no address bits past the prefix: 203.0.113.0/24, 2001:db8::/32, one address 203.0.113.7/32.");
            }
        }

        for (int i = 0; i < options.ClientCertificateThumbprints.Count; i++)
        {
            if (!WebhookIngressPolicy.IsThumbprint(options.ClientCertificateThumbprints[i]))
            {
                builder.AddError($"{section}:ClientCertificateThumbprints:{i} is not a SHA-256 thumbprint: 64 hexadecimal digits.");
            }
        }

        if (options.ClientCertificateThumbprints.Count > 0 && !options.RequireClientCertificate)
        {
            builder.AddError($"{section}:ClientCertificateThumbprints lists certificates but {section}:RequireClientCertificate is false; set it to true so that a delivery without a certificate is refused too.");
        }
    }

    private static bool IsStandardWebhooksSecret(string secret)
    {
        ReadOnlySpan<char> key = secret.AsSpan();
        if (key.StartsWith(KobbopayPrefixes.StandardWebhooksSecret, StringComparison.Ordinal))
        {
            key = key[KobbopayPrefixes.StandardWebhooksSecret.Length..];
        }

        return !key.IsEmpty && !key.ContainsAny(" \t\r\n") && Base64.IsValid(key);
    }
}
