using System.Collections.Concurrent;
using Kobbopay.AspNetCore;
using Kobbopay.Reconciliation;
using Kobbopay.Sdk;

namespace Kobbopay.Samples.Quickstart;

/// <summary>
/// The merchant's orders: what the webhooks have told us. The endpoint keeps stale events (reordered deliveries that
/// would move a payment backward) from the handler, so each event that reaches it is applied as it comes; the
/// webhook is the only path that changes an order's status here, so no ordering check of our own is needed.
/// </summary>
/// <param name="clock">When orders are opened (the gateway's clock in this story).</param>
internal sealed partial class OrderBook(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, Order> _orders = new(StringComparer.Ordinal);

    public IReadOnlyCollection<Order> Orders => [.. _orders.Values.OrderBy(o => o.OrderId, StringComparer.Ordinal)];

    public int HandlerRuns => _orders.Values.Sum(o => o.HandledEvents);

    public void Open(string orderId, decimal total) => _orders[orderId] = new Order(orderId, total, clock.GetUtcNow());

    /// <summary>Applies an event the endpoint handed over (never a stale one); a late payment is noted for review.</summary>
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
                return (true, $"late payment of {payment.AmountReceived} {payment.Currency}: manual review");
            }

            order.Status = payment.Status;
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
