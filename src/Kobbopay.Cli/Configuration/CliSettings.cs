using System.CommandLine;
using Kobbopay.Contracts;
using Kobbopay.Sdk;

namespace Kobbopay.Cli.Configuration;

/// <summary>The settings of one run, each with the name of where it came from (an option or a variable) for messages.</summary>
internal sealed class CliSettings
{
    private CliSettings()
    {
    }

    /// <summary>Gets the base address as given, or <see langword="null"/>.</summary>
    public string? BaseAddressText { get; private init; }

    /// <summary>Gets the base address when it is an absolute http or https URI, with a trailing slash.</summary>
    public Uri? BaseAddress { get; private init; }

    /// <summary>Gets the name of the setting the base address came from.</summary>
    public string BaseAddressSetting { get; private init; } = CliSettingNames.BaseAddress;

    /// <summary>Gets the API key, or <see langword="null"/>. Never print it.</summary>
    public string? ApiKey { get; private init; }

    /// <summary>Gets the name of the setting the key came from.</summary>
    public string ApiKeySetting { get; private init; } = CliSettingNames.ApiKey;

    /// <summary>Gets the webhook secret, or <see langword="null"/>. Never print it.</summary>
    public string? WebhookSecret { get; private init; }

    /// <summary>Gets the webhook scheme as given, or <see langword="null"/> for the default.</summary>
    public string? WebhookScheme { get; private init; }

    /// <summary>Gets the environment the key is for: production for a <c>kp_live_</c> key, otherwise non-production.</summary>
    public KobbopayEnvironment KeyEnvironment =>
        ApiKey?.StartsWith(KobbopayPrefixes.LiveApiKey, StringComparison.Ordinal) == true ? KobbopayEnvironment.Production : KobbopayEnvironment.NonProduction;

    /// <summary>Reads the settings: an option wins over its environment variable.</summary>
    /// <param name="parse">The parsed command line.</param>
    /// <param name="options">The global options.</param>
    /// <param name="context">The environment.</param>
    /// <returns>The settings.</returns>
    public static CliSettings Read(ParseResult parse, GlobalOptions options, CliContext context)
    {
        string? addressOption = parse.GetValue(options.BaseAddress);
        string? keyOption = parse.GetValue(options.ApiKey);
        string? address = addressOption ?? context.GetEnvironmentVariable(CliSettingNames.BaseAddress);
        return new CliSettings
        {
            BaseAddressText = address,
            BaseAddress = ParseAddress(address),
            BaseAddressSetting = addressOption is null ? CliSettingNames.BaseAddress : options.BaseAddress.Name,
            ApiKey = keyOption ?? context.GetEnvironmentVariable(CliSettingNames.ApiKey),
            ApiKeySetting = keyOption is null ? CliSettingNames.ApiKey : options.ApiKey.Name,
            WebhookSecret = context.GetEnvironmentVariable(CliSettingNames.WebhookSecret),
            WebhookScheme = context.GetEnvironmentVariable(CliSettingNames.WebhookScheme),
        };
    }

    private static Uri? ParseAddress(string? text)
    {
        if (text is null || !Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return null;
        }

        // The API's paths are relative (v1/payments): the base must end with a slash to keep its own path.
        return uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
    }
}
