// A merchant app with controllers, keeping its own webhook action:
//   POST /webhooks/kobbopay     the gateway's signed webhooks, verified by [KobbopayWebhook] before model binding
//   GET  /payments/{paymentId}  the status the webhooks last moved the payment to
// The secret comes from configuration: appsettings.Development.json holds the local simulator's; in production set
// Kobbopay:Webhooks:Secrets:0 from your secret store (environment variable Kobbopay__Webhooks__Secrets__0).
//
// Try it: dotnet run --project src/Kobbopay.Simulator -- --webhook-url http://127.0.0.1:5091/webhooks/kobbopay \
//             --webhook-secret whsk_local_development_only --auto-pay-after 10 --auto-confirm --block-interval 1
//         dotnet run --project samples/Kobbopay.Samples.WebhookController   (Development, http://127.0.0.1:5091)
using Kobbopay.Samples.WebhookController;

WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
builder.Services.AddControllers();
builder.Services.AddKobbopayWebhooks(builder.Configuration.GetSection("Kobbopay:Webhooks"));
builder.Services.AddSingleton<PaymentLedger>();

WebApplication app = builder.Build();
app.MapControllers();
app.Run();
