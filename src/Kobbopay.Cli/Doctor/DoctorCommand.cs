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
            List<DoctorCheck> checks = [.. ConfigurationChecks.Check(settings)];
            if (settings.BaseAddress is not null)
            {
                checks.AddRange(await GatewayChecks.RunAsync(settings, context, cancellationToken).ConfigureAwait(false));
            }

            checks.Add(WebhookSecretCheck.Check(settings));
            foreach (DoctorCheck check in checks)
            {
                await context.Out.WriteLineAsync(check.ToString()).ConfigureAwait(false);
            }

            return checks.Any(c => c.Status == DoctorStatus.Fail) ? CliExitCodes.Findings : CliExitCodes.Ok;
        });
        return doctor;
    }
}
