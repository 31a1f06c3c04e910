using System.CommandLine;
using Kobbopay.Cli.Configuration;
using Kobbopay.Cli.Terminal;
using Kobbopay.Reconciliation;

namespace Kobbopay.Cli.Reconcile;

/// <summary><c>kobbopay reconcile --orders FILE [--from TIME] [--to TIME] [--status-map FILE] [--json FILE] [--csv FILE]</c>.</summary>
internal static class ReconcileCommand
{
    /// <summary>The period when <c>--from</c> is left out: this long before <c>--to</c>.</summary>
    public static readonly TimeSpan DefaultPeriod = TimeSpan.FromDays(30);

    /// <summary>Creates the <c>reconcile</c> command.</summary>
    /// <param name="options">The global options.</param>
    /// <param name="context">Where to write.</param>
    /// <returns>The command.</returns>
    public static Command Create(GlobalOptions options, CliContext context)
    {
        Option<FileInfo> orders = new("--orders")
        {
            HelpName = "FILE",
            Required = true,
            Description = $"The merchant's orders of the period as CSV (RFC 4180, UTF-8), header {CsvOrderLedger.HeaderRow}; amount an invariant decimal (10.50), "
                + "status the gateway's (pending, paid, confirmed, expired) unless --status-map maps the merchant's own. Every order in FILE is checked: it has no order times.",
        };
        Option<DateTimeOffset?> from = new("--from")
        {
            HelpName = "TIME",
            CustomParser = Rfc3339.Parse,
            Description = "The start of the period, inclusive, RFC 3339 (2026-11-01T00:00:00Z, or a date as UTC midnight): the gateway's payments created from then on are checked for orders. Default: 30 days before --to.",
        };
        Option<DateTimeOffset?> to = new("--to")
        {
            HelpName = "TIME",
            CustomParser = Rfc3339.Parse,
            Description = "The end of the period, exclusive, RFC 3339. Default: now.",
        };
        Option<FileInfo?> statusMap = new("--status-map")
        {
            HelpName = "FILE",
            Description = """The merchant's statuses as JSON: {"version":"shop-2026-11","statuses":{"awaiting":"pending","paid":"paid",...}}; each maps to pending, paid, confirmed or expired. Default: the gateway's names as themselves.""",
        };
        Option<FileInfo?> json = new("--json") { HelpName = "FILE", Description = "Also write the report as JSON: {\"exceptions\":[…],\"summary\":{…}}, each exception with the payments' lifecycle history." };
        Option<FileInfo?> csv = new("--csv") { HelpName = "FILE", Description = "Also write the exceptions as CSV (RFC 4180), one a row, with the history in one field." };

        Command reconcile = new(
            "reconcile",
            "Compares the merchant's orders with the gateway's payments and prints a table of the exceptions (kind, order, payments, expected, actual), "
            + "then a summary line with the counts by kind: missing_payment, orphan_payment, duplicate_payment, status_mismatch, amount_mismatch, "
            + "currency_mismatch, late_payment, unmapped_status. Nothing is changed: exceptions are for review. The files are checked whole before "
            + "anything is reconciled. Exit 0 when there is no exception, 1 when there are, 2 on bad input (the message names the file and line) or an unreachable gateway.")
        {
            orders, from, to, statusMap, json, csv,
        };
        reconcile.SetAction(async (parse, cancellationToken) =>
        {
            DateTimeOffset end = parse.GetValue(to) ?? context.TimeProvider.GetUtcNow();
            DateTimeOffset start = parse.GetValue(from) ?? end - DefaultPeriod;
            if (start >= end)
            {
                await context.Err.WriteLineAsync($"--from ({Payments.PaymentText.Time(start)}) must be before --to ({Payments.PaymentText.Time(end)}).").ConfigureAwait(false);
                return CliExitCodes.BadInput;
            }

            OrderStatusMapping mapping;
            CsvOrderLedger ledger;
            try
            {
                mapping = parse.GetValue(statusMap) is { } map ? await StatusMapReader.ReadAsync(map.ToString(), cancellationToken).ConfigureAwait(false) : OrderStatusMapping.Identity;
                ledger = await CsvOrderLedger.OpenAsync(parse.GetValue(orders)!.ToString(), cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidDataException ex)
            {
                await context.Err.WriteLineAsync(ex.Message).ConfigureAwait(false);
                return CliExitCodes.BadInput;
            }

            using (ledger)
            {
                return await GatewaySession.RunAsync(
                    parse,
                    options,
                    context,
                    (client, token) => RunAsync(new KobbopayReconciler(client, ledger, mapping, context.TimeProvider), start, end, parse.GetValue(json)?.ToString(), parse.GetValue(csv)?.ToString(), context, token),
                    cancellationToken).ConfigureAwait(false);
            }
        });
        return reconcile;
    }

    private static async Task<int> RunAsync(KobbopayReconciler reconciler, DateTimeOffset from, DateTimeOffset to, string? json, string? csv, CliContext context, CancellationToken cancellationToken)
    {
        ReportFiles reports;
        try
        {
            reports = ReportFiles.Create(json, csv);
        }
        catch (InvalidDataException ex)
        {
            await context.Err.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return CliExitCodes.BadInput;
        }

        ReconciliationSummary summary;
        try
        {
            // Live counts on stderr when it is a terminal; a redirected run gets none and prints what it always did.
            ReconcileProgress? progress = StatusLine.For(context) is { } status ? new ReconcileProgress(status) : null;
            List<IReconciliationSink> sinks = [new TableReconciliationSink(context.Out), .. reports.Sinks];
            if (progress is not null)
            {
                sinks.Insert(0, progress);
            }

            FanOutReconciliationSink sink = new(sinks);
            try
            {
                summary = await reconciler.RunAsync(new ReconciliationRequest { From = from, To = to, Progress = progress }, sink, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                // Stopped part-way (Ctrl+C, the gateway): the counts go before the message that says so.
                progress?.Clear();
            }

            await reports.DisposeAsync().ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            // The orders file changed under the run.
            await reports.DiscardAsync().ConfigureAwait(false);
            await context.Err.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return CliExitCodes.BadInput;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await reports.DiscardAsync().ConfigureAwait(false);
            await context.Err.WriteLineAsync("interrupted: nothing was reconciled to the end and no report was kept; run it again.").ConfigureAwait(false);
            return CliExitCodes.Interrupted;
        }
        catch
        {
            // The gateway failed part-way (the session names it) or the run was cancelled: a partial report would mislead.
            await reports.DiscardAsync().ConfigureAwait(false);
            throw;
        }

        return summary.ExceptionCount == 0 ? CliExitCodes.Ok : CliExitCodes.Findings;
    }
}
