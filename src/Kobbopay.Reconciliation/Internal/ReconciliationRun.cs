namespace Kobbopay.Reconciliation.Internal;

/// <summary>
/// One run's report: each exception goes to the sink as it is found and is counted by kind (a handful of keys, whatever
/// the run's size); the progress, if any, is told the counts each time one rises.
/// </summary>
internal sealed class ReconciliationRun(IReconciliationSink sink, IProgress<ReconciliationProgress>? progress = null)
{
    private readonly SortedDictionary<string, long> _byKind = new(StringComparer.Ordinal);

    public long OrdersChecked { get; private set; }

    public long PaymentsChecked { get; private set; }

    public long ChangedPaymentsChecked { get; set; }

    public long ExceptionCount { get; private set; }

    public IReadOnlyDictionary<string, long> ByKind => _byKind.AsReadOnly();

    public void OrderChecked()
    {
        OrdersChecked++;
        Report();
    }

    public void PaymentChecked()
    {
        PaymentsChecked++;
        Report();
    }

    public ValueTask ReportAsync(ReconciliationDiscrepancy discrepancy, CancellationToken cancellationToken)
    {
        _byKind[discrepancy.Kind] = _byKind.GetValueOrDefault(discrepancy.Kind) + 1;
        ExceptionCount++;
        Report();
        return sink.WriteAsync(discrepancy, cancellationToken);
    }

    private void Report() => progress?.Report(new ReconciliationProgress(OrdersChecked, PaymentsChecked, ExceptionCount));
}
