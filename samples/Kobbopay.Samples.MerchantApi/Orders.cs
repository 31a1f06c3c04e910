using System.Collections.Concurrent;
using Kobbopay.AspNetCore;
using Kobbopay.Sdk;

namespace Kobbopay.Samples.MerchantApi;

/// <summary>What the shopper sends to check out.</summary>
/// <param name="OrderId">The order id.</param>
/// <param name="Total">The total, as a decimal string.</param>
public sealed record NewOrder(string OrderId, string Total);

/// <summary>An order as the API shows it.</summary>
/// <param name="OrderId">The order id.</param>
/// <param name="PaymentId">The Kobbopay payment.</param>
/// <param name="Status">The payment status the webhooks last moved it to.</param>
/// <param name="PayTo">Where the shopper sends funds.</param>
/// <param name="StatusUrl">The shopper's public status page.</param>
public sealed record OrderView(string OrderId, string PaymentId, string Status, string? PayTo, Uri? StatusUrl);

/// <summary>The merchant's orders. In a real backend: your database, updated in the same transaction as your own records.</summary>
public sealed class OrderStore
{
    private readonly ConcurrentDictionary<string, Entry> _orders = new(StringComparer.Ordinal);

    /// <summary>Opens an order with its payment (again: a retried checkout keeps the first).</summary>
    public void Open(string orderId, Payment payment) =>
        _orders.TryAdd(orderId, new Entry(payment.Id, payment.Status, payment.Address, payment.StatusUrl));

    /// <summary>Gets an order.</summary>
    public OrderView? Get(string orderId) =>
        _orders.TryGetValue(orderId, out Entry? e) ? new OrderView(orderId, e.PaymentId, e.Status.Value, e.PayTo, e.StatusUrl) : null;

    /// <summary>
    /// Moves an order to the status of a webhook's event. The endpoint keeps stale events (a reordered delivery that
    /// would move the payment backward) from the handler, and the webhook is the only path that changes a status here,
    /// so the event applied is the payment's latest: no ordering check of our own.
    /// </summary>
    public void Apply(PaymentEvent paymentEvent)
    {
        if (paymentEvent.Payment is not { } payment)
        {
            return;
        }

        _orders.AddOrUpdate(
            payment.OrderId,
            _ => new Entry(payment.Id, payment.Status, payment.Address, payment.StatusUrl),
            (_, current) => current with { Status = payment.Status });
    }

    private sealed record Entry(string PaymentId, PaymentStatus Status, string? PayTo, Uri? StatusUrl);
}

/// <summary>Updates orders from Kobbopay webhooks. Runs once per event: the endpoint deduplicates.</summary>
public sealed class OrderWebhookHandler(OrderStore orders, ILogger<OrderWebhookHandler> logger) : IKobbopayWebhookHandler
{
    /// <inheritdoc/>
    public Task HandleAsync(KobbopayWebhookContext context, CancellationToken cancellationToken)
    {
        orders.Apply(context.Event);
        logger.LogInformation("Order {OrderId}: {Type} ({DedupeKey})", context.Event.Payment?.OrderId, context.Event.Type, context.DedupeKey);
        return Task.CompletedTask;
    }
}
