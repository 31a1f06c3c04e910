using Kobbopay.AspNetCore;

namespace Shop;

// Runs once per event (the endpoint verified the signature and deduplicated it), and is not handed an event
// that would move a payment backward (a payment.paid arriving after its payment.confirmed).
public sealed class OrderStatusHandler(Orders orders, ILogger<OrderStatusHandler> logger) : IKobbopayWebhookHandler
{
    public async Task HandleAsync(KobbopayWebhookContext context, CancellationToken ct)
    {
        if (context.Event.Payment is not { } payment)
        {
            return; // an event type this app does not know
        }

        await orders.ApplyAsync(payment, ct); // throw to answer 500: the gateway delivers the event again
        logger.LogInformation("Order {OrderId} is {Status} ({Event})", payment.OrderId, payment.Status, context.Event.Type);
    }
}
