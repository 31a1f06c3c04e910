using System.Globalization;
using Kobbopay.Cli.Payments;
using Kobbopay.Reconciliation;

namespace Kobbopay.Cli.Reconcile;

/// <summary>
/// Prints each exception as a row of a table as it is found (kind, order, payments, expected, actual), then a summary
/// line with the counts by kind. Rows are written as they come, in fixed columns: nothing is held. A value wider than its
/// column pushes the rest of its row along but keeps two spaces before the next one, so a row still splits into its five
/// cells on runs of two or more spaces; several payment ids are one cell, joined by commas.
/// </summary>
/// <param name="output">Where the table goes.</param>
internal sealed class TableReconciliationSink(TextWriter output) : IReconciliationSink
{
    private bool _started;

    /// <inheritdoc/>
    public async ValueTask WriteAsync(ReconciliationDiscrepancy exception, CancellationToken cancellationToken)
    {
        if (!_started)
        {
            _started = true;
            await output.WriteLineAsync(Row("kind", "order", "payments", "expected", "actual")).ConfigureAwait(false);
        }

        string payments = exception.PaymentIds.Count == 0 ? "-" : string.Join(',', exception.PaymentIds);
        await output.WriteLineAsync(Row(exception.Kind, exception.OrderId ?? "-", payments, exception.Expected ?? "-", exception.Actual ?? "-")).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask CompleteAsync(ReconciliationSummary summary, CancellationToken cancellationToken)
    {
        string checkedText = string.Create(
            CultureInfo.InvariantCulture,
            $"{summary.OrdersChecked} order(s) and {summary.PaymentsChecked} payment(s) from {PaymentText.Time(summary.From)} to {PaymentText.Time(summary.To)}, status mapping {summary.MappingVersion}");
        string line = summary.ExceptionCount == 0
            ? $"no exceptions: {checkedText}."
            : string.Create(
                CultureInfo.InvariantCulture,
                $"{summary.ExceptionCount} exception(s): {string.Join(", ", summary.ExceptionsByKind.Select(k => string.Create(CultureInfo.InvariantCulture, $"{k.Key} {k.Value}")))}; {checkedText}.");
        await output.WriteLineAsync(line).ConfigureAwait(false);
    }

    private static string Row(string kind, string order, string payments, string expected, string actual) =>
        $"{kind,-17}  {order,-20}  {payments,-28}  {expected,-24}  {actual}".TrimEnd();
}
