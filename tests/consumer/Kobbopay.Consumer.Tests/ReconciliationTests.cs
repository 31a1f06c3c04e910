using System.Text.Json;
using Kobbopay.Reconciliation;
using Kobbopay.Sdk;
using Kobbopay.Simulator;
using Xunit;

namespace Kobbopay.Consumer.Tests;

/// <summary>A merchant's reconciliation with Kobbopay.Reconciliation: its books against the simulator in process, a JSON report.</summary>
public sealed class ReconciliationTests
{
    [Fact]
    public async Task AnOrderWithAPaymentAndOneWithout_Reconciled_ReportOneMissingPayment()
    {
        // The merchant's books: two orders awaiting payment; the gateway gets a payment for the first only.
        Books books = new([new("consumer-paid-order", 20m, "USDT", "pending"), new("consumer-unpaid-order", 5m, "USDT", "pending")]);
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using KobbopaySimulator sim = await KobbopaySimulator.StartAsync(new KobbopaySimulatorOptions(), ct);
        KobbopayClient client = KobbopayClient.Create(new KobbopayClientOptions { BaseAddress = sim.BaseAddress, ApiKey = sim.TestApiKey });
        DateTimeOffset start = sim.Clock.GetUtcNow();
        await client.CreatePaymentAsync(
            new CreatePaymentRequest { Amount = 20m, Currency = "USDT", Network = "example-network", OrderId = "consumer-paid-order" },
            KobbopayIdempotencyKey.FromOrderId("consumer-paid-order"),
            ct);

        using MemoryStream report = new();
        ReconciliationSummary summary;
        await using (JsonReconciliationSink sink = new(report))
        {
            summary = await new KobbopayReconciler(client, books, OrderStatusMapping.Identity, sim.Clock).RunAsync(start, start.AddHours(1), sink, ct);
        }

        Assert.Equal((2L, 1L, 1L), (summary.OrdersChecked, summary.PaymentsChecked, summary.ExceptionCount));
        using JsonDocument document = JsonDocument.Parse(report.ToArray());
        JsonElement missing = Assert.Single(document.RootElement.GetProperty("exceptions").EnumerateArray());
        Assert.Equal(ReconciliationKinds.MissingPayment, missing.GetProperty("kind").GetString());
        Assert.Equal("consumer-unpaid-order", missing.GetProperty("orderId").GetString());
    }

    /// <summary>The merchant's books: every order is of the period.</summary>
    private sealed class Books(IReadOnlyList<LedgerOrder> orders) : IOrderLedger
    {
        public IAsyncEnumerable<LedgerOrder> GetOrdersAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) => orders.ToAsyncEnumerable();

        public ValueTask<LedgerOrder?> FindOrderAsync(string orderId, CancellationToken cancellationToken) =>
            ValueTask.FromResult(orders.FirstOrDefault(o => o.OrderId == orderId));
    }
}
