using Kobbopay.Sdk;
using Kobbopay.Webhooks;

namespace Shop;

public static class QueuedProcessing
{
    public static void Configure(WebApplicationBuilder builder)
    {
        // snippet: queued
        builder.Services.AddKobbopaySqliteEventStore(builder.Configuration.GetSection("Kobbopay:Webhooks:Sqlite")); // or PostgreSQL
        builder.Services.AddKobbopayWebhooks(builder.Configuration.GetSection("Kobbopay:Webhooks"))
            .AddHandler<OrderStatusHandler>(PaymentEventType.Paid)
            .UseQueuedProcessing(o => o.MaxAttempts = 8);   // Kobbopay:Webhooks:Queue
        // end snippet
    }

    public static async Task ReviewAsync(IWebhookInbox inbox, string key, CancellationToken ct)
    {
        // snippet: parked
        // Review what was parked (an admin page, a CLI): IWebhookInbox from DI.
        foreach (WebhookInboxEntry parked in await inbox.ListParkedAsync(50, ct))
            Console.WriteLine($"{parked.Key} {parked.Attempts} {parked.LastError}");   // parked.Body: the raw bytes
        await inbox.RequeueAsync(key, ct);   // after the fix: handled again, attempts reset
        await inbox.DiscardAsync(key, ct);   // after review: gone for good
        // end snippet
    }
}
