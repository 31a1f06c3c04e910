using System.Globalization;
using Kobbopay.Cli.Terminal;
using Kobbopay.Reconciliation;

namespace Kobbopay.Cli.Reconcile;

/// <summary>
/// The live counts of <c>reconcile</c> on the status line (orders, payments, exceptions so far). First among the sinks:
/// an exception's row is about to be printed on standard output, so the line is erased first and redrawn at the next count.
/// </summary>
/// <param name="status">The terminal's status line.</param>
internal sealed class ReconcileProgress(StatusLine status) : IProgress<ReconciliationProgress>, IReconciliationSink
{
    /// <summary>Formats the counts as the status line shows them.</summary>
    /// <param name="value">The counts.</param>
    /// <returns>The line.</returns>
    public static string Text(ReconciliationProgress value) => string.Create(
        CultureInfo.InvariantCulture,
        $"reconciling: {value.OrdersChecked} order(s), {value.PaymentsChecked} payment(s) checked, {value.ExceptionCount} exception(s)…");

    /// <inheritdoc/>
    public void Report(ReconciliationProgress value) => status.Show(Text(value));

    /// <summary>Erases the counts: the run has ended, or stopped part-way.</summary>
    public void Clear() => status.Clear();

    /// <inheritdoc/>
    public ValueTask WriteAsync(ReconciliationDiscrepancy exception, CancellationToken cancellationToken)
    {
        Clear();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask CompleteAsync(ReconciliationSummary summary, CancellationToken cancellationToken)
    {
        Clear();
        return ValueTask.CompletedTask;
    }
}
