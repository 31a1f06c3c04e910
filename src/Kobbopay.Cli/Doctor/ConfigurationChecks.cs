using Kobbopay.Cli.Configuration;
using Kobbopay.Contracts;
using Kobbopay.Sdk;

namespace Kobbopay.Cli.Doctor;

/// <summary>The checks of the settings alone: the base address, its transport, the key and the key's environment against the address.</summary>
internal static class ConfigurationChecks
{
    /// <summary>The name of the transport check.</summary>
    public const string Https = "https";

    /// <summary>The name of the key-against-address check.</summary>
    public const string KeyEnvironment = "key environment";

    /// <summary>Checks the settings.</summary>
    /// <param name="settings">The settings.</param>
    /// <returns>One finding per check that applies.</returns>
    public static IEnumerable<DoctorCheck> Check(CliSettings settings)
    {
        string addressName = settings.BaseAddressSetting;
        Uri? address = settings.BaseAddress;
        if (settings.BaseAddressText is null)
        {
            yield return DoctorCheck.Fail(addressName, $"{addressName} is not set: the gateway's base address from your environment's integration materials.");
        }
        else if (address is null)
        {
            yield return DoctorCheck.Fail(addressName, $"{addressName} must be an absolute http or https address; it is '{settings.BaseAddressText}'.");
        }
        else
        {
            yield return DoctorCheck.Ok(addressName, $"{address}");
            yield return address.Scheme == Uri.UriSchemeHttps
                ? DoctorCheck.Ok(Https, $"{addressName} uses https.")
                : address.IsLoopback
                    ? DoctorCheck.Ok(Https, $"{addressName} uses plain http to a loopback address (the simulator); anything else needs https.")
                    : DoctorCheck.Fail(Https, $"{addressName} uses plain http to {address.Host}, not a loopback address: the key and payments would cross the network in clear text, and the SDK refuses to send the key. Use the https address.");
        }

        string keyName = settings.ApiKeySetting;
        string? key = settings.ApiKey;
        KobbopayEnvironment? keyEnvironment = key switch
        {
            null => null,
            _ when key.StartsWith(KobbopayPrefixes.LiveApiKey, StringComparison.Ordinal) && key.Length > KobbopayPrefixes.LiveApiKey.Length => KobbopayEnvironment.Production,
            _ when key.StartsWith(KobbopayPrefixes.TestApiKey, StringComparison.Ordinal) && key.Length > KobbopayPrefixes.TestApiKey.Length => KobbopayEnvironment.NonProduction,
            _ => null,
        };
        if (key is null)
        {
            yield return DoctorCheck.Fail(keyName, $"{keyName} is not set: the API key, {KobbopayPrefixes.TestApiKey}… (non-production) or {KobbopayPrefixes.LiveApiKey}… (production).");
        }
        else if (keyEnvironment is null)
        {
            yield return DoctorCheck.Fail(keyName, $"{keyName} does not start with {KobbopayPrefixes.TestApiKey} or {KobbopayPrefixes.LiveApiKey} followed by the key: copy the whole key from your environment's materials.");
        }
        else
        {
            yield return DoctorCheck.Ok(keyName, $"a {Describe(keyEnvironment.Value)} key ({Prefix(keyEnvironment.Value)}…).");
        }

        if (address is not null && keyEnvironment is { } k)
        {
            KobbopayEnvironment addressEnvironment = AddressEnvironment.Of(address, out string reason);
            yield return k == addressEnvironment
                ? DoctorCheck.Ok(KeyEnvironment, $"{keyName} is a {Describe(k)} key and {addressName} is {reason}.")
                : DoctorCheck.Fail(KeyEnvironment, $"{keyName} is a {Describe(k)} key ({Prefix(k)}…) but {addressName} is {reason}: keys are scoped to one environment and the gateway refuses the other's. Use the {Describe(addressEnvironment)} key ({Prefix(addressEnvironment)}…) or the {Describe(k)} address.");
        }
    }

    private static string Describe(KobbopayEnvironment environment) => environment == KobbopayEnvironment.Production ? "production" : "non-production";

    private static string Prefix(KobbopayEnvironment environment) => environment == KobbopayEnvironment.Production ? KobbopayPrefixes.LiveApiKey : KobbopayPrefixes.TestApiKey;
}
