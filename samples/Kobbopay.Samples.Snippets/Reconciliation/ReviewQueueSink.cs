using Kobbopay.Reconciliation;

namespace Shop;

// Where the reconciler's exceptions go for a person to review; here the log, in your app a queue or a table
// keyed on kind, order and payment ids (an unresolved exception is reported again by the next run).
public sealed class ReviewQueueSink(ILogger<ReviewQueueSink> logger) : IReconciliationSink
{
    public ValueTask WriteAsync(ReconciliationDiscrepancy exception, CancellationToken cancellationToken)
    {
        logger.LogWarning("Review {Kind}: order {OrderId}, payments {PaymentIds}", exception.Kind, exception.OrderId, string.Join(",", exception.PaymentIds));
        return ValueTask.CompletedTask;
    }

    public ValueTask CompleteAsync(ReconciliationSummary summary, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
