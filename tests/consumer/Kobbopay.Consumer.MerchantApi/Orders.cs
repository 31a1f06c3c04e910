using System.Collections.Concurrent;
using Kobbopay.AspNetCore;
using Kobbopay.Sdk;
using Kobbopay.Webhooks;

namespace Kobbopay.Consumer.MerchantApi;

/// <summary>What the shopper sends to check out.</summary>
/// <param name="OrderId">The order id.</param>
/// <param name="Total">The total.</param>
public sealed record NewOrder(string OrderId, decimal Total);

/// <summary>An order as the API shows it.</summary>
/// <param name="OrderId">The order id.</param>
/// <param name="PaymentId">The Kobbopay payment.</param>
/// <param name="Status">The payment status the webhooks last moved it to.</param>
public sealed record OrderView(string OrderId, string PaymentId, string Status);

/// <summary>The merchant's orders, moved forward by webhooks; counts the events it applied.</summary>
public sealed class OrderStore
{
    private readonly ConcurrentDictionary<string, Entry> _orders = new(StringComparer.Ordinal);
    private readonly PaymentLifecycleOrdering _ordering = new();
    private int _eventsApplied;

    /// <summary>Gets how many webhook events the handler applied.</summary>
    public int EventsApplied => Volatile.Read(ref _eventsApplied);

    /// <summary>Opens an order with its payment (again: a retried checkout keeps the first).</summary>
    /// <param name="orderId">The order id.</param>
    /// <param name="payment">Its payment.</param>
    public void Open(string orderId, Payment payment) => _orders.TryAdd(orderId, new Entry(payment.Id, payment.Status, null));

    /// <summary>Gets an order.</summary>
    /// <param name="orderId">The order id.</param>
    /// <returns>The order, or <see langword="null"/>.</returns>
    public OrderView? Get(string orderId) =>
        _orders.TryGetValue(orderId, out Entry? e) ? new OrderView(orderId, e.PaymentId, e.Status.Value) : null;

    /// <summary>Moves an order forward from a webhook; a late or reordered event never moves it back.</summary>
    /// <param name="paymentEvent">The event.</param>
    public void Apply(PaymentEvent paymentEvent)
    {
        Interlocked.Increment(ref _eventsApplied);
        if (paymentEvent.Payment is not { } payment)
        {
            return;
        }

        _orders.AddOrUpdate(
            payment.OrderId,
            _ => new Entry(payment.Id, payment.Status, paymentEvent.Sequence),
            (_, current) => _ordering.IsForward(paymentEvent, current.Sequence, current.Status)
                ? current with { Status = payment.Status, Sequence = paymentEvent.Sequence }
                : current);
    }

    private sealed record Entry(string PaymentId, PaymentStatus Status, long? Sequence);
}

/// <summary>Updates orders from Kobbopay webhooks. Runs once per event: the endpoint deduplicates in the store.</summary>
/// <param name="orders">The orders.</param>
public sealed class OrderWebhookHandler(OrderStore orders) : IKobbopayWebhookHandler
{
    /// <inheritdoc/>
    public Task HandleAsync(KobbopayWebhookContext context, CancellationToken cancellationToken)
    {
        orders.Apply(context.Event);
        return Task.CompletedTask;
    }
}
