using System.CommandLine;
using Kobbopay.Sdk;

namespace Kobbopay.Cli.Configuration;

/// <summary>
/// Runs a command that calls the gateway: builds the client from the settings (a missing or malformed setting is
/// exit 2, named), runs the command, and turns the SDK's exceptions into a message and exit 2. The key never
/// appears in a message: the SDK's messages never carry it, and ours name the setting only.
/// </summary>
internal static class GatewaySession
{
    /// <summary>Runs <paramref name="command"/> with a client for the configured gateway.</summary>
    /// <param name="parse">The parsed command line.</param>
    /// <param name="options">The global options.</param>
    /// <param name="context">Where to write.</param>
    /// <param name="command">The command's work; it returns the exit code.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(
        ParseResult parse, GlobalOptions options, CliContext context, Func<KobbopayClient, CancellationToken, Task<int>> command, CancellationToken cancellationToken)
    {
        CliSettings settings = CliSettings.Read(parse, options, context);
        if (Check(settings) is { } problem)
        {
            await context.Err.WriteLineAsync(problem).ConfigureAwait(false);
            return CliExitCodes.BadInput;
        }

        KobbopayClient client;
        try
        {
            client = KobbopayClient.Create(
                new KobbopayClientOptions { BaseAddress = settings.BaseAddress, ApiKey = settings.ApiKey, Environment = settings.KeyEnvironment },
                context.PrimaryHandler,
                timeProvider: context.TimeProvider);
        }
        catch (ArgumentException ex)
        {
            // The validator names settings by configuration key (Kobbopay:ApiKey); the operator set a variable or an option.
            string message = ex.Message
                .Replace("Kobbopay:BaseAddress", settings.BaseAddressSetting, StringComparison.Ordinal)
                .Replace("Kobbopay:ApiKey", settings.ApiKeySetting, StringComparison.Ordinal)
                .Replace("Kobbopay:Environment", $"the key's environment", StringComparison.Ordinal);
            await context.Err.WriteLineAsync(message).ConfigureAwait(false);
            return CliExitCodes.BadInput;
        }

        try
        {
            return await command(client, cancellationToken).ConfigureAwait(false);
        }
        catch (KobbopayApiException ex) when (ex.StatusCode is 401 or 403)
        {
            await context.Err.WriteLineAsync($"The gateway refused {settings.ApiKeySetting} ({ex.StatusCode} {ex.ErrorCode}): {ex.GatewayMessage}").ConfigureAwait(false);
            return CliExitCodes.BadInput;
        }
        catch (KobbopayApiException ex)
        {
            string param = ex.Param is null ? string.Empty : $" (parameter {ex.Param})";
            await context.Err.WriteLineAsync($"The gateway answered {ex.StatusCode} {ex.ErrorCode}{param}: {ex.GatewayMessage}").ConfigureAwait(false);
            return CliExitCodes.BadInput;
        }
        catch (KobbopayException ex) when (ex is KobbopayNetworkException or KobbopayTimeoutException or KobbopayCircuitOpenException)
        {
            await context.Err.WriteLineAsync($"The gateway at {settings.BaseAddressSetting} ({settings.BaseAddress}) is unreachable: {ex.Message}").ConfigureAwait(false);
            return CliExitCodes.BadInput;
        }
    }

    // The settings a client cannot do without, named as the operator set them; the client's own validation does the rest.
    private static string? Check(CliSettings settings)
    {
        if (settings.BaseAddressText is null)
        {
            return $"{CliSettingNames.BaseAddress} is not set: the gateway's base address (or pass --base-address).";
        }

        if (settings.BaseAddress is null)
        {
            return $"{settings.BaseAddressSetting} must be an absolute http or https address; it is '{settings.BaseAddressText}'.";
        }

        return settings.ApiKey is null ? $"{CliSettingNames.ApiKey} is not set: the API key, kp_test_… or kp_live_… (or pass --api-key)." : null;
    }
}
