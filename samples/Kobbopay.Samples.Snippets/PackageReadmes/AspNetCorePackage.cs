using Kobbopay.AspNetCore;
using Kobbopay.Sdk;

namespace Shop.PackageReadmes;

// src/Kobbopay.AspNetCore/README.md: the package's five-line use.
public static class AspNetCorePackage
{
    public static void Use(WebApplicationBuilder builder)
    {
        // snippet: aspnetcore
        builder.Services.AddKobbopayWebhooks(builder.Configuration.GetSection("Kobbopay:Webhooks"))
            .AddHandler<PaymentPaidHandler>(PaymentEventType.Paid);
        // "Kobbopay:Webhooks": { "Scheme": "hmac-sha256-hex", "Secrets": [ "the signing secret, at least 16 characters" ] }
        WebApplication app = builder.Build();
        app.MapKobbopayWebhooks("/webhook/kobbopay");   // the signature is in the x-signature header
        // end snippet
    }

    // snippet: aspnetcore-handler
    public sealed class PaymentPaidHandler : IKobbopayWebhookHandler
    {
        public Task HandleAsync(KobbopayWebhookContext context, CancellationToken ct) => Task.CompletedTask; // your code
    }
    // end snippet
}
