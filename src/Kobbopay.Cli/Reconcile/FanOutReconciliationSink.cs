using Kobbopay.Reconciliation;

namespace Kobbopay.Cli.Reconcile;

/// <summary>Hands each exception and the summary to several sinks, in order: the printed table and the report files.</summary>
/// <param name="sinks">The sinks.</param>
internal sealed class FanOutReconciliationSink(IReadOnlyList<IReconciliationSink> sinks) : IReconciliationSink
{
    /// <inheritdoc/>
    public async ValueTask WriteAsync(ReconciliationDiscrepancy exception, CancellationToken cancellationToken)
    {
        foreach (IReconciliationSink sink in sinks)
        {
            await sink.WriteAsync(exception, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async ValueTask CompleteAsync(ReconciliationSummary summary, CancellationToken cancellationToken)
    {
        foreach (IReconciliationSink sink in sinks)
        {
            await sink.CompleteAsync(summary, cancellationToken).ConfigureAwait(false);
        }
    }
}
