namespace Kobbopay.Reconciliation;

/// <summary>
/// Where a reconciliation's exceptions go: the merchant's review queue, a log, a report file. The reconciler writes each
/// exception as it finds it, then completes the sink once with the summary.
/// </summary>
public interface IReconciliationSink
{
    /// <summary>Writes one exception.</summary>
    /// <param name="exception">The exception found.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the exception is written.</returns>
    ValueTask WriteAsync(ReconciliationDiscrepancy exception, CancellationToken cancellationToken);

    /// <summary>Completes the report: no exception follows.</summary>
    /// <param name="summary">What the run did and found.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the report is complete.</returns>
    ValueTask CompleteAsync(ReconciliationSummary summary, CancellationToken cancellationToken);
}
