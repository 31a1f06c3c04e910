using Kobbopay.Reconciliation;
using Kobbopay.Sdk;

namespace Kobbopay.Samples.Quickstart;

/// <summary>
/// The order book as the reconciler sees it: the books' side of the comparison (<see cref="IOrderLedger"/>), and the
/// review queue the exceptions land in (<see cref="IReconciliationSink"/>), each on the order it concerns.
/// </summary>
internal sealed partial class OrderBook : IOrderLedger, IReconciliationSink
{
    /// <summary>Gets the exceptions that concern no order in the books (a payment for an unknown order).</summary>
    public List<ReconciliationDiscrepancy> Unassigned { get; } = [];

    public IAsyncEnumerable<LedgerOrder> GetOrdersAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        Orders.Where(o => o.OpenedAt >= from && o.OpenedAt < to).Select(ToLedger).ToAsyncEnumerable();

    public ValueTask<LedgerOrder?> FindOrderAsync(string orderId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_orders.TryGetValue(orderId, out Order? order) ? ToLedger(order) : null);

    public ValueTask WriteAsync(ReconciliationDiscrepancy exception, CancellationToken cancellationToken)
    {
        (exception.OrderId is { } id && _orders.TryGetValue(id, out Order? order) ? order.Exceptions : Unassigned).Add(exception);
        return ValueTask.CompletedTask;
    }

    public ValueTask CompleteAsync(ReconciliationSummary summary, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    // The books keep the gateway's status names (the identity mapping); an order no webhook has reached yet awaits payment.
    private static LedgerOrder ToLedger(Order order) =>
        new(order.OrderId, order.Total, "USDT", (order.Status ?? PaymentStatus.Pending).Value);
}
