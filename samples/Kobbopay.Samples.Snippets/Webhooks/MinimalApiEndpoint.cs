using Kobbopay.AspNetCore;

namespace Shop;

public static class MinimalApiEndpoint
{
    public static void Map(WebApplication app)
    {
        // snippet: minimal-api
        app.MapPost("/hooks/kobbopay", async (KobbopayWebhookContext hook, OrderHistory history, CancellationToken ct) =>
        {
            await history.AddAsync(hook.Event, hook.DedupeKey, ct);
            return Results.Ok();
        }).RequireKobbopaySignature();
        // end snippet
    }
}
