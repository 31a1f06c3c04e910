using System.Collections.Concurrent;

namespace Kobbopay.Reconciliation.Tests.TestSupport;

/// <summary>The review queue of scheduled runs: every exception and summary of every run of every instance.</summary>
internal sealed class CollectingReports : IReconciliationSink
{
    public ConcurrentQueue<ReconciliationDiscrepancy> Exceptions { get; } = new();

    public ConcurrentQueue<ReconciliationSummary> Summaries { get; } = new();

    public ValueTask WriteAsync(ReconciliationDiscrepancy exception, CancellationToken cancellationToken)
    {
        Exceptions.Enqueue(exception);
        return ValueTask.CompletedTask;
    }

    public ValueTask CompleteAsync(ReconciliationSummary summary, CancellationToken cancellationToken)
    {
        Summaries.Enqueue(summary);
        return ValueTask.CompletedTask;
    }
}
