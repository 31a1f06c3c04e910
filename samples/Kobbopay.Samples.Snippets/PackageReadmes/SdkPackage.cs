using Kobbopay.Sdk;

namespace Shop.PackageReadmes;

// src/Kobbopay.Sdk/README.md: the package's use.
public static class SdkPackage
{
    public static async Task<Payment> UseAsync(WebApplicationBuilder builder, KobbopayClient kobbopay, CancellationToken cancellationToken)
    {
        // snippet: sdk
        builder.Services.AddKobbopayClient(builder.Configuration.GetSection("Kobbopay"));
        // "Kobbopay": { "BaseAddress": "https://…", "Environment": "NonProduction", "ApiKey": "kp_test_…" }
        // Environment is NonProduction (kp_test_ keys) or Production (kp_live_ keys).

        Payment payment = await kobbopay.CreatePaymentAsync(   // kobbopay: a KobbopayClient from DI
            new CreatePaymentRequest { Amount = 10.50m, Currency = "USDT", Network = "example-network", OrderId = "order-123" },
            KobbopayIdempotencyKey.FromOrderId("order-123"), cancellationToken);
        // end snippet
        return payment;
    }
}
