using Kobbopay.AspNetCore;

namespace Shop;

public static class VerificationMiddleware
{
    public static void Use(WebApplication app)
    {
        // snippet: middleware
        app.UseKobbopayWebhookVerification("/hooks");      // before anything that reads the body
        app.MapPost("/hooks/kobbopay", (KobbopayWebhookContext hook) => Results.Ok());
        // end snippet
    }
}
