// A merchant's backend on the Kobbopay packages, in the shape of samples/Kobbopay.Samples.MerchantApi:
//   POST /orders            opens an order and creates its payment (idempotent per order)
//   GET  /orders/{id}       the order, as the webhooks have moved it
//   POST /webhook/kobbopay  the gateway's signed webhooks, deduplicated in a durable store
// Configuration: appsettings.json points at a local simulator; Kobbopay:Webhooks:Sqlite (one instance) or
// Kobbopay:Webhooks:PostgreSql (several instances) says where processed events are remembered.
using Kobbopay.Consumer.MerchantApi;
using Kobbopay.Sdk;

WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
builder.Services.AddKobbopayClient(builder.Configuration.GetSection("Kobbopay"));
builder.Services.AddKobbopayWebhooks(builder.Configuration.GetSection("Kobbopay:Webhooks"))
    .AddHandler<OrderWebhookHandler>();
IConfigurationSection postgreSql = builder.Configuration.GetSection("Kobbopay:Webhooks:PostgreSql");
if (postgreSql.Exists())
{
    builder.Services.AddKobbopayPostgreSqlEventStore(postgreSql);
}
else
{
    builder.Services.AddKobbopaySqliteEventStore(builder.Configuration.GetSection("Kobbopay:Webhooks:Sqlite"));
}

builder.Services.AddSingleton<OrderStore>();

WebApplication app = builder.Build();

// The sample maps the gateway's refusals to problem answers; here any failure is a 500: this app checks the packages.
app.MapPost("/orders", async (NewOrder order, OrderStore orders, KobbopayClient kobbopay, CancellationToken ct) =>
{
    CreatePaymentRequest request = new() { Amount = order.Total, Currency = "USDT", Network = "example-network", OrderId = order.OrderId };
    orders.Open(order.OrderId, await kobbopay.CreatePaymentAsync(request, KobbopayIdempotencyKey.FromOrderId(order.OrderId), ct));
    return Results.Created($"/orders/{order.OrderId}", orders.Get(order.OrderId));
});

app.MapGet("/orders/{orderId}", (string orderId, OrderStore orders) =>
    orders.Get(orderId) is { } view ? Results.Ok(view) : Results.NotFound());

app.MapKobbopayWebhooks("/webhook/kobbopay");

app.Run();
