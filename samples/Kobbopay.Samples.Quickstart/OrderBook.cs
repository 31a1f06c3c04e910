using System.Collections.Concurrent;
using Kobbopay.AspNetCore;
using Kobbopay.Reconciliation;
using Kobbopay.Sdk;
using Kobbopay.Webhooks;

namespace Kobbopay.Samples.Quickstart;

/// <summary>The merchant's orders: what the webhooks have told us, applied in lifecycle order.</summary>
/// <param name="clock">When orders are opened (the gateway's clock in this story).</param>
internal sealed partial class OrderBook(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, Order> _orders = new(StringComparer.Ordinal);
    private readonly PaymentLifecycleOrdering _ordering = new();

    public IReadOnlyCollection<Order> Orders => [.. _orders.Values.OrderBy(o => o.OrderId, StringComparer.Ordinal)];

    public int HandlerRuns => _orders.Values.Sum(o => o.HandledEvents);

    public void Open(string orderId, decimal total) => _orders[orderId] = new Order(orderId, total, clock.GetUtcNow());

    /// <summary>Applies an event if it moves the order forward; a late or stale one is noted and ignored.</summary>
    public (bool Applied, string Note) Apply(PaymentEvent e)
    {
        Payment? payment = e.Payment;
        if (payment is null || !_orders.TryGetValue(payment.OrderId, out Order? order))
        {
            return (false, "unknown order");
        }

        lock (order)
        {
            order.HandledEvents++;
            order.PaymentId = payment.Id;
            if (e.Type == PaymentEventType.LatePayment)
            {
                order.LastSequence = e.Sequence;
                return (true, $"late payment of {payment.AmountReceived} {payment.Currency}: manual review");
            }

            if (!_ordering.IsForward(e, order.LastSequence, order.Status))
            {
                return (false, $"stale {e.Type} ignored (order is {order.Status})");
            }

            order.Status = payment.Status;
            order.LastSequence = e.Sequence;
            order.Received = payment.AmountReceived;
            return (true, $"order is now {payment.Status}");
        }
    }

    internal sealed class Order(string orderId, decimal total, DateTimeOffset openedAt)
    {
        public string OrderId { get; } = orderId;

        public decimal Total { get; } = total;

        public DateTimeOffset OpenedAt { get; } = openedAt;

        public string? PaymentId { get; set; }

        public PaymentStatus? Status { get; set; }

        public long? LastSequence { get; set; }

        public decimal? Received { get; set; }

        public int HandledEvents { get; set; }

        /// <summary>Gets what the reconciler reported on this order, for review.</summary>
        public List<ReconciliationDiscrepancy> Exceptions { get; } = [];
    }
}

/// <summary>The merchant's webhook handler: runs once per event, whatever the gateway's retries and duplicates.</summary>
internal sealed class OrderUpdatingHandler(OrderBook orders, Narrator narrator) : IKobbopayWebhookHandler
{
    public Task HandleAsync(KobbopayWebhookContext context, CancellationToken cancellationToken)
    {
        (bool applied, string note) = orders.Apply(context.Event);
        narrator.Say(applied ? "webhook" : "webhook", $"verified {context.Event.Type} seq {context.Event.Sequence} for {context.Event.Payment?.OrderId}: {note}");
        return Task.CompletedTask;
    }
}
