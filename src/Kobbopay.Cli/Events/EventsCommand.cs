using System.CommandLine;
using System.Globalization;
using System.Text;
using Kobbopay.Cli.Configuration;

namespace Kobbopay.Cli.Events;

/// <summary><c>kobbopay events export [--since-cursor C] [--out FILE] [--page-size N]</c>.</summary>
internal static class EventsCommand
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Creates the <c>events</c> command.</summary>
    /// <param name="options">The global options.</param>
    /// <param name="context">Where to write.</param>
    /// <returns>The command.</returns>
    public static Command Create(GlobalOptions options, CliContext context)
    {
        Option<string?> since = new("--since-cursor")
        {
            HelpName = "CURSOR",
            Description = "Continue after this cursor: the one the previous run printed on stderr (or a page's nextCursor). Left out: from the first event, or from FILE.cursor with --out.",
        };
        Option<FileInfo?> output = new("--out")
        {
            HelpName = "FILE",
            Description = "Append the lines to FILE instead of stdout, and keep the cursor in FILE.cursor after each page: rerun the same command to continue where it stopped.",
        };
        Option<int> pageSize = new("--page-size") { HelpName = "N", Description = "Events per request, 1 to 100.", DefaultValueFactory = _ => 100 };
        pageSize.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 100)
            {
                result.AddError("--page-size must be from 1 to 100.");
            }
        });

        Command export = new(
            "export",
            "Streams the gateway's event export, oldest first, as JSON lines (one event a line). Resumable: at the end (or on Ctrl+C) the cursor "
            + "to continue from is printed on stderr; pass it as --since-cursor, or use --out FILE, which keeps it in FILE.cursor, and rerun. "
            + "A rerun writes each event once: no repeats, no gaps. Progress shows on stderr when it is a terminal.")
        {
            since, output, pageSize,
        };
        export.SetAction((parse, ct) => GatewaySession.RunAsync(parse, options, context, async (client, token) =>
        {
            FileInfo? file = parse.GetValue(output);
            string? cursorFile = file is null ? null : file.FullName + ".cursor";
            string? sinceText = parse.GetValue(since);
            string sinceSetting = "--since-cursor";
            if (sinceText is null && cursorFile is not null && File.Exists(cursorFile))
            {
                sinceText = await File.ReadAllTextAsync(cursorFile, token).ConfigureAwait(false);
                sinceSetting = cursorFile;
            }

            ExportCheckpoint from = ExportCheckpoint.Start;
            if (sinceText is not null && !ExportCheckpoint.TryParse(sinceText, out from))
            {
                await context.Err.WriteLineAsync($"{sinceSetting} is not a cursor this command printed.").ConfigureAwait(false);
                return CliExitCodes.BadInput;
            }

            EventExport run = new(client, parse.GetValue(pageSize), context);
            Func<ExportCheckpoint, CancellationToken, Task> save = cursorFile is null
                ? static (_, _) => Task.CompletedTask
                : (checkpoint, c) => SaveAsync(cursorFile, checkpoint, c);
            try
            {
                if (file is null)
                {
                    await run.RunAsync(from, context.Out, save, token).ConfigureAwait(false);
                }
                else
                {
                    StreamWriter sink;
                    try
                    {
                        sink = new StreamWriter(file.FullName, append: true, Utf8);
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                    {
                        await context.Err.WriteLineAsync($"--out {file.FullName} cannot be written: {ex.Message}").ConfigureAwait(false);
                        return CliExitCodes.BadInput;
                    }

                    await using (sink.ConfigureAwait(false))
                    {
                        await run.RunAsync(from, sink, save, token).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                await PrintResumeAsync(context, run, file, interrupted: true).ConfigureAwait(false);
                return CliExitCodes.Interrupted;
            }

            await PrintResumeAsync(context, run, file, interrupted: false).ConfigureAwait(false);
            return CliExitCodes.Ok;
        }, ct));

        return new Command("events", "Reads the gateway's event export.") { export };
    }

    private static async Task SaveAsync(string path, ExportCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        // Replace, never half-write: a crash leaves the previous checkpoint or the new one.
        string temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, checkpoint.ToString(), Utf8, cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }

    private static Task PrintResumeAsync(CliContext context, EventExport run, FileInfo? file, bool interrupted)
    {
        string what = string.Create(CultureInfo.InvariantCulture, $"{(interrupted ? "interrupted after" : "exported")} {run.Written} event(s)");
        string again = file is null ? string.Empty : $" --out {file.FullName}";
        string next = run.Checkpoint.IsStart
            ? $"{what}; nothing to continue from yet: run it again as it was."
            : $"{what}; cursor {run.Checkpoint}\nto continue: kobbopay events export --since-cursor {run.Checkpoint}{again}";
        return context.Err.WriteLineAsync(next);
    }
}
