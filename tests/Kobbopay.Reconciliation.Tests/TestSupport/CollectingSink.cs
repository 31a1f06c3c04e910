namespace Kobbopay.Reconciliation.Tests.TestSupport;

/// <summary>A sink that keeps what it is given, for assertions.</summary>
internal sealed class CollectingSink : IReconciliationSink
{
    public List<ReconciliationDiscrepancy> Exceptions { get; } = [];

    public ReconciliationSummary? Summary { get; private set; }

    public ValueTask WriteAsync(ReconciliationDiscrepancy exception, CancellationToken cancellationToken)
    {
        Exceptions.Add(exception);
        return ValueTask.CompletedTask;
    }

    public ValueTask CompleteAsync(ReconciliationSummary summary, CancellationToken cancellationToken)
    {
        Summary = summary;
        return ValueTask.CompletedTask;
    }
}
