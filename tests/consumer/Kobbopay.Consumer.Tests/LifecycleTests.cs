using Kobbopay.Sdk;
using Kobbopay.Simulator;
using Xunit;

namespace Kobbopay.Consumer.Tests;

/// <summary>What a merchant's test does with the packages: the simulator in process, the SDK's client against it.</summary>
public sealed class LifecycleTests
{
    [Fact]
    public async Task APaymentCreatedWithTheClient_PaidAndConfirmedOnTheSimulator_ReadsBackConfirmed()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using KobbopaySimulator sim = await KobbopaySimulator.StartAsync(new KobbopaySimulatorOptions(), ct);

        KobbopayClientOptions options = new() { BaseAddress = sim.BaseAddress, ApiKey = sim.TestApiKey };
        options.EnabledRails.Add(new KobbopayRail("example-network", "USDT", 6));
        KobbopayClient client = KobbopayClient.Create(options);

        Payment created = await client.CreatePaymentAsync(
            new CreatePaymentRequest { Amount = 12.34m, Currency = "USDT", Network = "example-network", OrderId = "consumer-order-1" },
            KobbopayIdempotencyKey.FromOrderId("consumer-order-1"),
            ct);
        Assert.Equal(PaymentStatus.Pending, created.Status);

        sim.Pay(created.Id);
        sim.Confirm(created.Id);

        Payment read = await client.GetPaymentAsync(created.Id, ct);
        Assert.Equal(created.Id, read.Id);
        Assert.Equal(PaymentStatus.Confirmed, read.Status);
        Assert.Equal(12.34m, read.Amount);
        Assert.Equal("USDT", read.Currency);
    }
}
