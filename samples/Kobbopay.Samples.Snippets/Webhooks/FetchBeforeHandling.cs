namespace Shop;

public static class FetchBeforeHandling
{
    public static void Configure(WebApplicationBuilder builder)
    {
        // snippet: fetch-first
        builder.Services.AddKobbopayClient(builder.Configuration.GetSection("Kobbopay")); // registers IKobbopayPaymentReader
        builder.Services.AddKobbopayWebhooks(builder.Configuration.GetSection("Kobbopay:Webhooks")) // FetchPaymentBeforeHandling: true
            .AddHandler<FulfilOrder>();
        // end snippet
    }
}
