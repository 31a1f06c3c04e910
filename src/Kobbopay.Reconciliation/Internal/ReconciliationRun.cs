namespace Kobbopay.Reconciliation.Internal;

/// <summary>One run's report: each exception goes to the sink as it is found and is counted by kind (a handful of keys, whatever the run's size).</summary>
internal sealed class ReconciliationRun(IReconciliationSink sink)
{
    private readonly SortedDictionary<string, long> _byKind = new(StringComparer.Ordinal);

    public long OrdersChecked { get; set; }

    public long PaymentsChecked { get; set; }

    public long ChangedPaymentsChecked { get; set; }

    public long ExceptionCount { get; private set; }

    public IReadOnlyDictionary<string, long> ByKind => _byKind.AsReadOnly();

    public ValueTask ReportAsync(ReconciliationDiscrepancy discrepancy, CancellationToken cancellationToken)
    {
        _byKind[discrepancy.Kind] = _byKind.GetValueOrDefault(discrepancy.Kind) + 1;
        ExceptionCount++;
        return sink.WriteAsync(discrepancy, cancellationToken);
    }
}
