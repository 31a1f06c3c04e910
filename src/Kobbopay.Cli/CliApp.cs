using System.CommandLine;
using System.CommandLine.Help;
using Kobbopay.Cli.Configuration;
using Kobbopay.Cli.Doctor;
using Kobbopay.Cli.Events;
using Kobbopay.Cli.Payments;
using Kobbopay.Cli.Reconcile;

namespace Kobbopay.Cli;

/// <summary>The <c>kobbopay</c> command line: parses, runs one command and returns its exit code. The program and the tests both call <see cref="RunAsync"/>.</summary>
internal static class CliApp
{
    /// <summary>Runs the command line.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="context">The console and environment.</param>
    /// <param name="cancellationToken">Cancels the command; the program's own run cancels it on Ctrl+C.</param>
    /// <returns>0 done, 1 findings (doctor, reconcile), 2 bad input or an unreachable gateway, 130 interrupted.</returns>
    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        Command root = Build(context);
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // System.CommandLine answers 1; bad input is 2 here, and 1 means doctor's findings.
            foreach (var error in parse.Errors)
            {
                await context.Err.WriteLineAsync(error.Message).ConfigureAwait(false);
            }

            await context.Err.WriteLineAsync("See 'kobbopay --help'.").ConfigureAwait(false);
            return CliExitCodes.BadInput;
        }

        InvocationConfiguration invocation = new() { Output = context.Out, Error = context.Err };
        return await parse.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
    }

    // A plain command named kobbopay rather than a RootCommand, whose name (in usage lines) would be the executable's, Kobbopay.Cli.
    private static Command Build(CliContext context)
    {
        GlobalOptions options = new();
        Command root = new(
            "kobbopay",
            "kobbopay: operations on the Kobbopay gateway. Configured by environment: "
            + $"{CliSettingNames.BaseAddress}, {CliSettingNames.ApiKey} (never printed), and for doctor {CliSettingNames.WebhookSecret}, {CliSettingNames.WebhookScheme}; "
            + "--base-address and --api-key win over them. Exit codes: 0 ok, 1 findings (doctor's failed checks, reconcile's exceptions), 2 bad input or an unreachable gateway.")
        {
            PaymentsCommand.Create(options, context),
            EventsCommand.Create(options, context),
            DoctorCommand.Create(options, context),
            ReconcileCommand.Create(options, context),
        };
        root.Options.Add(new HelpOption());
        root.Options.Add(new VersionOption());
        root.Options.Add(options.BaseAddress);
        root.Options.Add(options.ApiKey);
        return root;
    }
}
