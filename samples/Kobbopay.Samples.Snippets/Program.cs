using Shop;

WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
builder.Services.AddKobbopayClient(builder.Configuration.GetSection("Kobbopay"));
builder.Services.AddKobbopayWebhooks(builder.Configuration.GetSection("Kobbopay:Webhooks"))
    .AddHandler<OrderStatusHandler>(); // every event; AddHandler<T>(PaymentEventType.Paid) for one type
builder.Services.AddSingleton<Orders>();
builder.Services.AddScoped<Checkout>();

WebApplication app = builder.Build();
app.MapPost("/orders", (Order order, Checkout checkout, CancellationToken ct) => checkout.PayAsync(order, ct));
app.MapGet("/orders/{id}", (string id, Orders orders) => orders.Find(id) is { } status ? Results.Ok(status) : Results.NotFound());
app.MapKobbopayWebhooks("/webhook/kobbopay");
app.Run();
