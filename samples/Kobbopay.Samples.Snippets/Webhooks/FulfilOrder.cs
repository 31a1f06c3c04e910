using Kobbopay.AspNetCore;

namespace Shop;

public sealed class FulfilOrder(Orders orders) : IKobbopayWebhookHandler
{
    // context.Payment: the gateway's answer, read after the event arrived; context.Event.Payment: the event's claim.
    public Task HandleAsync(KobbopayWebhookContext context, CancellationToken ct) => orders.ApplyAsync(context.Payment!, ct);
}
