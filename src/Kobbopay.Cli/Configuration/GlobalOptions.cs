using System.CommandLine;

namespace Kobbopay.Cli.Configuration;

/// <summary>The options every command takes: where the gateway is and the key to call it with.</summary>
internal sealed class GlobalOptions
{
    /// <summary>Gets <c>--base-address</c>, which wins over <c>KOBBOPAY_BASE_ADDRESS</c>.</summary>
    public Option<string?> BaseAddress { get; } = new("--base-address")
    {
        HelpName = "URL",
        Description = $"The gateway's base address (https; plain http only to loopback). Defaults to {CliSettingNames.BaseAddress}.",
        Recursive = true,
    };

    /// <summary>Gets <c>--api-key</c>, which wins over <c>KOBBOPAY_API_KEY</c>. No default is ever shown: the key is never printed.</summary>
    public Option<string?> ApiKey { get; } = new("--api-key")
    {
        HelpName = "KEY",
        Description = $"The API key (kp_test_… or kp_live_…). Defaults to {CliSettingNames.ApiKey}; prefer the variable, a command line is visible to other users. Never printed.",
        Recursive = true,
    };
}
