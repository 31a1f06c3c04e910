// Kobbopay Quickstart: the whole lifecycle, end to end, on embedded defaults.
//   dotnet run --project samples/Kobbopay.Samples.Quickstart
// Starts the bundled simulator (the gateway) and a merchant web app with the webhook endpoint on
// loopback, creates payments with the client, drives them through every branch (paid and
// confirmed, partial then full, expired, overpaid, paid after expiry), and prints each step as it
// happens. The simulator duplicates and reorders some deliveries, as a real gateway may. Each case
// names the scenario shipped with the simulator that replays it: `kobbopay-sim run --shipped`.
using System.Net;
using System.Security.Cryptography;
using Kobbopay.AspNetCore;
using Kobbopay.Reconciliation;
using Kobbopay.Samples.Quickstart;
using Kobbopay.Sdk;
using Kobbopay.Simulator;
using Kobbopay.Simulator.Scenarios;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

using CancellationTokenSource stop = new(TimeSpan.FromMinutes(2));
CancellationToken ct = stop.Token;

// 1. The gateway: the simulator, on a manual clock so the story runs in seconds.
await using KobbopaySimulator gateway = await KobbopaySimulator.StartAsync(new KobbopaySimulatorOptions
{
    WebhookFaults = new SimulatorWebhookFaultOptions { Seed = 2026, DuplicateRate = 0.3, ReorderRate = 0.3, ReorderMaxDelayMilliseconds = 30 },
}, ct);
Narrator narrator = new(gateway.Clock.GetUtcNow);

// 2. The merchant's web app: webhook verification and idempotent processing in three lines.
string webhookSecret = "whsk_quickstart_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders().AddProvider(new NarratingLoggerProvider(narrator)).SetMinimumLevel(LogLevel.Debug)
    .AddFilter("Microsoft", LogLevel.None).AddFilter("System", LogLevel.None);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
builder.Services.AddSingleton(new OrderBook(gateway.Clock));
builder.Services.AddSingleton(narrator);
builder.Services.AddKobbopayWebhooks(webhooks => webhooks.Secrets.Add(webhookSecret))
    .AddHandler<OrderUpdatingHandler>();
// Processed events are remembered durably, in a SQLite file (a PostgreSQL store serves many instances).
string storeFile = Path.Combine(Path.GetTempPath(), $"kobbopay-quickstart-{Environment.ProcessId}.db");
builder.Services.AddKobbopaySqliteEventStore(store => store.ConnectionString = $"Data Source={storeFile}");
await using WebApplication merchant = builder.Build();
merchant.MapKobbopayWebhooks("/webhook/kobbopay");
await merchant.StartAsync(ct);
Uri merchantUrl = new(merchant.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
gateway.AddWebhookEndpoint(new Uri(merchantUrl, "/webhook/kobbopay"), webhookSecret);
OrderBook orders = merchant.Services.GetRequiredService<OrderBook>();

Console.WriteLine("Kobbopay Quickstart");
Console.WriteLine($"  gateway (simulator)   {gateway.BaseAddress}");
Console.WriteLine($"  merchant webhooks     {merchantUrl}webhook/kobbopay");
Console.WriteLine($"  webhook event store   SQLite, {storeFile}");

// 3. The merchant's backend: the typed client, with idempotent creates.
KobbopayClientOptions clientOptions = new() { BaseAddress = gateway.BaseAddress, ApiKey = gateway.TestApiKey };
clientOptions.EnabledRails.Add(new KobbopayRail("example-network", "USDT", 6));
KobbopayClient kobbopay = KobbopayClient.Create(clientOptions);

async Task<Payment> CheckoutAsync(string orderId, decimal total)
{
    orders.Open(orderId, total);
    Payment payment = await kobbopay.CreatePaymentAsync(
        new CreatePaymentRequest { Amount = total, Currency = "USDT", Network = "example-network", OrderId = orderId },
        KobbopayIdempotencyKey.FromOrderId(orderId),
        ct);
    narrator.Say("created", $"{payment.Id} for {orderId}: {payment.Amount} {payment.Currency}, pay to {payment.Address}");
    return payment;
}

// A new section of the story: its heading, the shipped scenario that replays the case (kobbopay-sim run --shipped),
// then the customer's checkout.
async Task<Payment> OrderAsync(string heading, string scenario, string orderId, decimal total)
{
    Narrator.Heading(heading);
    Console.WriteLine($"  replayed by the shipped scenario {scenario} ('{Scenario.LoadShipped(scenario).Name}'): kobbopay-sim run --shipped");
    return await CheckoutAsync(orderId, total);
}

async Task SettleAsync()
{
    await gateway.WhenWebhooksIdleAsync(ct);
}

// The chain side: the payer sends funds (all that is due when amount is null), the webhooks settle.
async Task PayAsync(Payment payment, decimal? amount, string narration)
{
    gateway.Pay(payment.Id, amount);
    narrator.Say("chain", narration);
    await SettleAsync();
}

// The chain side: the payment reaches its confirmations, the webhooks settle.
async Task ConfirmAsync(Payment payment)
{
    gateway.Confirm(payment.Id);
    await SettleAsync();
}

DateTimeOffset storyStarted = gateway.Clock.GetUtcNow();
Payment p1 = await OrderAsync("order-1001: paid, then confirmed", "01-paid-then-confirmed.json", "order-1001", 25.00m);
Payment again = await kobbopay.CreatePaymentAsync(new CreatePaymentRequest { Amount = 25.00m, Currency = "USDT", Network = "example-network", OrderId = "order-1001" }, KobbopayIdempotencyKey.FromOrderId("order-1001"), ct);
narrator.Say("retried", $"checkout retried with the same order key: same payment {again.Id} (no double charge)");
await PayAsync(p1, null, $"payer sent 25.00 USDT to {p1.Id}");
narrator.Say("chain", "12 confirmations");
await ConfirmAsync(p1);

Payment p2 = await OrderAsync("order-1002: partial payment, then the rest", "02-partial-then-full.json", "order-1002", 10.00m);
await PayAsync(p2, 4.00m, "payer sent 4.00 of 10.00 USDT");
await PayAsync(p2, 6.00m, "payer sent the remaining 6.00 USDT");
await ConfirmAsync(p2);

Payment p3 = await OrderAsync("order-1003: never paid, expires", "03-expired.json", "order-1003", 7.50m);
await SettleAsync();

Payment p4 = await OrderAsync("order-1004: overpaid", "04-overpaid.json", "order-1004", 10.00m);
await PayAsync(p4, 12.00m, "payer sent 12.00 USDT for a 10.00 order");
await ConfirmAsync(p4);

Payment p5 = await OrderAsync("order-1005: funds arrive after the window closed", "05-paid-after-expiry.json", "order-1005", 5.00m);
await SettleAsync();

Narrator.Heading("15 minutes pass on the gateway's clock");
gateway.Clock.Advance(TimeSpan.FromMinutes(15));
await SettleAsync();
await PayAsync(p5, null, $"payer sent 5.00 USDT to the expired {p5.Id}");

// 4. Reconcile: KobbopayReconciler compares the books with the gateway's payments of the story's period and reports
// each exception for review (nothing is fixed); the overpayment and the late payment are the two the story made.
Narrator.Heading("Orders against the gateway's truth (KobbopayReconciler)");
KobbopayReconciler reconciler = new(kobbopay, orders, OrderStatusMapping.Identity, gateway.Clock);
ReconciliationSummary summary = await reconciler.RunAsync(storyStarted, gateway.Clock.GetUtcNow().AddSeconds(1), orders, ct);
Console.WriteLine($"  {"order",-11} {"payment",-29} {"gateway",-10} {"books",-10} {"events",6}  reconciler");
foreach (OrderBook.Order order in orders.Orders)
{
    Payment payment = await kobbopay.GetPaymentAsync(order.PaymentId!, ct);
    string verdict = order.Exceptions.Count == 0 ? "matches" : string.Join(", ", order.Exceptions.Select(e => e.Kind));
    Console.WriteLine($"  {order.OrderId,-11} {payment.Id,-29} {payment.Status,-10} {order.Status?.Value ?? "-",-10} {order.HandledEvents,6}  {verdict}");
}

Narrator.Heading("For review");
foreach (ReconciliationDiscrepancy exception in orders.Orders.SelectMany(o => o.Exceptions).Concat(orders.Unassigned))
{
    Console.WriteLine($"  {exception.Kind}: {exception.Detail}");
}

string[] expected = ["order-1004 amount_mismatch", "order-1005 late_payment"];
string[] found = [.. orders.Orders.SelectMany(o => o.Exceptions).Concat(orders.Unassigned).Select(e => $"{e.OrderId} {e.Kind}")];
bool asExpected = found.SequenceEqual(expected);
int deliveries = gateway.Deliveries.Sum(d => d.Attempts.Count);
int events = gateway.Deliveries.Count;
Console.WriteLine();
int stale = narrator.Count("stale");
Console.WriteLine($"{events} events, {deliveries} delivery attempts (duplicates included), {orders.HandlerRuns} handler runs and {stale} stale events kept from the handler: each event handled at most once.");
Console.WriteLine($"Reconciled {summary.OrdersChecked} orders and {summary.PaymentsChecked} payments: {summary.ExceptionCount} exceptions for review.");
Console.WriteLine(asExpected
    ? "The overpayment and the late payment are the only exceptions: every other order matches the gateway."
    : $"Expected exactly {string.Join(" and ", expected)}; the reconciler reported: {string.Join(", ", found)}.");
Console.WriteLine($"The gateway's side of each case, without this app: kobbopay-sim run --shipped ({Scenario.ShippedNames.Count} scenarios, each with its statuses and webhook deliveries).");

await merchant.StopAsync(ct);
await merchant.DisposeAsync();
Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
foreach (string file in new[] { storeFile, storeFile + "-wal", storeFile + "-shm" })
{
    File.Delete(file);
}

return asExpected && orders.HandlerRuns + stale == events ? 0 : 1;
