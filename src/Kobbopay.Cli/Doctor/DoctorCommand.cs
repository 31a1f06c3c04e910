using System.CommandLine;
using Kobbopay.Cli.Configuration;

namespace Kobbopay.Cli.Doctor;

/// <summary><c>kobbopay doctor</c>: checks the configuration merchants get wrong, one ok/warn/fail line each.</summary>
internal static class DoctorCommand
{
    /// <summary>Creates the <c>doctor</c> command.</summary>
    /// <param name="options">The global options.</param>
    /// <param name="context">Where to write.</param>
    /// <returns>The command.</returns>
    public static Command Create(GlobalOptions options, CliContext context)
    {
        Command doctor = new(
            "doctor",
            "Checks the configuration: the key's environment against the base address, https, reachability and the key, clock skew against the "
            + $"gateway's Date, and the webhook secret's shape for its scheme ({CliSettingNames.WebhookSecret}, {CliSettingNames.WebhookScheme}). "
            + "Each check prints ok, warn or fail; exit 0 when none fails, 1 when any does.");
        doctor.SetAction(async (parse, cancellationToken) =>
        {
            CliSettings settings = CliSettings.Read(parse, options, context);
            bool failed = false;

            // The configuration's findings print before the gateway is called: an unreachable one takes up to 10 s to say so.
            await PrintAsync(ConfigurationChecks.Check(settings)).ConfigureAwait(false);
            if (settings.BaseAddress is not null)
            {
                await PrintAsync(await GatewayChecks.RunAsync(settings, context, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
            }

            await PrintAsync([WebhookSecretCheck.Check(settings)]).ConfigureAwait(false);
            return failed ? CliExitCodes.Findings : CliExitCodes.Ok;

            async Task PrintAsync(IEnumerable<DoctorCheck> checks)
            {
                foreach (DoctorCheck check in checks)
                {
                    failed |= check.Status == DoctorStatus.Fail;
                    await context.Out.WriteLineAsync(check.ToString()).ConfigureAwait(false);
                }
            }
        });
        return doctor;
    }
}
