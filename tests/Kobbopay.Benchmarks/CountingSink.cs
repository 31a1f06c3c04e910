using Kobbopay.Reconciliation;

namespace Kobbopay.Benchmarks;

/// <summary>A reconciliation sink that counts the exceptions and keeps the first few (to show why, should any appear).</summary>
internal sealed class CountingSink : IReconciliationSink
{
    private const int Kept = 5;

    public long Count { get; private set; }

    public List<string> First { get; } = [];

    public ValueTask WriteAsync(ReconciliationDiscrepancy exception, CancellationToken cancellationToken)
    {
        Count++;
        if (First.Count < Kept)
        {
            First.Add(exception.Kind + ": " + exception.Detail);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask CompleteAsync(ReconciliationSummary summary, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
