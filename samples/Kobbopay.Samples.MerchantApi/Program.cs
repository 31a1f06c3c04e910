// A minimal merchant backend on Kobbopay, in the shape to copy:
//   POST /orders            opens an order and creates its payment (idempotent per order)
//   GET  /orders/{id}       the order, as the webhooks have moved it
//   POST /webhook/kobbopay  the gateway's signed webhooks
// Everything secret comes from configuration: appsettings.Development.json points at the local
// simulator with its test key; in production set Kobbopay:ApiKey and Kobbopay:Webhooks:Secrets:0
// from your secret store (environment variables Kobbopay__ApiKey, Kobbopay__Webhooks__Secrets__0).
//
// Try it: dotnet run --project src/Kobbopay.Simulator -- --webhook-url http://127.0.0.1:5090/webhook/kobbopay \
//             --webhook-secret whsk_local_development_only --auto-pay-after 10 --auto-confirm --block-interval 1
//         dotnet run --project samples/Kobbopay.Samples.MerchantApi        (Development, http://127.0.0.1:5090)
//         curl -X POST http://127.0.0.1:5090/orders -H 'content-type: application/json' -d '{"orderId":"o-1","total":"12.50"}'
using Kobbopay.Samples.MerchantApi;
using Kobbopay.Sdk;

WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
builder.Services.AddKobbopayClient(builder.Configuration.GetSection("Kobbopay"));
builder.Services.AddKobbopayWebhooks(builder.Configuration.GetSection("Kobbopay:Webhooks"))
    .AddHandler<OrderWebhookHandler>();
builder.Services.AddSingleton<OrderStore>();

WebApplication app = builder.Build();

app.MapPost("/orders", async (NewOrder order, OrderStore orders, KobbopayClient kobbopay, CancellationToken ct) =>
{
    if (string.IsNullOrWhiteSpace(order.OrderId) || !decimal.TryParse(order.Total, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out decimal total) || total <= 0)
    {
        return Results.ValidationProblem(new Dictionary<string, string[]> { ["order"] = ["orderId and a positive decimal total (as a string) are required."] });
    }

    try
    {
        Payment payment = await kobbopay.CreatePaymentAsync(
            new CreatePaymentRequest { Amount = total, Currency = "USDT", Network = "example-network", OrderId = order.OrderId },
            KobbopayIdempotencyKey.FromOrderId(order.OrderId), // a retried checkout gets the same payment
            ct);
        orders.Open(order.OrderId, payment);
        return Results.Created($"/orders/{order.OrderId}", orders.Get(order.OrderId));
    }
    catch (KobbopayUnsupportedRailException ex)
    {
        return Results.Problem(ex.Message, statusCode: StatusCodes.Status422UnprocessableEntity);
    }
    catch (KobbopayApiException ex) when (ex.StatusCode is >= 400 and < 500)
    {
        return Results.Problem($"The gateway refused the payment: {ex.ErrorCode}.", statusCode: StatusCodes.Status422UnprocessableEntity);
    }
    catch (KobbopayException)
    {
        return Results.Problem("The payment gateway is not reachable; try again.", statusCode: StatusCodes.Status503ServiceUnavailable);
    }
});

app.MapGet("/orders/{orderId}", (string orderId, OrderStore orders) =>
    orders.Get(orderId) is { } view ? Results.Ok(view) : Results.NotFound());

app.MapKobbopayWebhooks("/webhook/kobbopay");

app.Run();
