using Microsoft.Extensions.DependencyInjection;
using Kobbopay.Sdk.Tests.TestSupport;
using Kobbopay.Simulator;
using static Kobbopay.Sdk.Tests.TestSupport.ClientFixture;

namespace Kobbopay.Sdk.Tests.Client;

/// <summary>The client against a misbehaving gateway: retried calls never double a payment.</summary>
public sealed class FaultToleranceTests(ITestOutputHelper output)
{
    private static readonly SimulatorFaultOptions ThirtyPercent = new()
    {
        Seed = 20261121,
        InternalErrorRate = 0.06,
        UnavailableRate = 0.06,
        RateLimitRate = 0.06,
        RetryAfterSeconds = 0,
        DropConnectionRate = 0.06,
        ResponseLossRate = 0.06,
    };

    [Fact]
    public async Task ThousandCreates_UnderThirtyPercentFaults_MakeExactlyOnePaymentPerOrder()
    {
        const int Orders = 1000;
        await using var sim = await KobbopaySimulator.StartAsync(new KobbopaySimulatorOptions { Faults = ThirtyPercent, RecordedRequestCapacity = 100_000 }, Ct);
        var client = NewClient(sim, o => o.Resilience.MaxRetryAttempts = 12);

        var created = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, Orders), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (i, ct) =>
        {
            var payment = await client.CreatePaymentAsync(Request($"order-{i:D4}"), cancellationToken: ct);
            created[payment.OrderId] = payment.Id;
        });

        var faults = sim.Requests.Where(r => r.Fault is not null).GroupBy(r => r.Fault!).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine($"requests {sim.Requests.Count}, faults: {string.Join(", ", faults.Select(kv => $"{kv.Key}={kv.Value}"))}");
        created.Count.ShouldBe(Orders);
        sim.PaymentCount.ShouldBe(Orders, "no payment doubled, none lost");
        sim.Faults = SimulatorFaultOptions.None;
        var orders = new List<string>();
        await foreach (var p in client.ListPaymentsAsync(new PaymentListOptions { PageSize = 100 }, Ct))
        {
            orders.Add(p.OrderId);
        }

        orders.Count.ShouldBe(Orders);
        orders.Distinct().Count().ShouldBe(Orders);
        faults.Values.Sum().ShouldBeGreaterThan(Orders / 5, "the run really was faulty");
        faults.ShouldContainKey("response_loss");
    }

    [Fact]
    public async Task EveryRetryOfACall_CarriesTheSameKey_AndCallsCarryDistinctKeys()
    {
        await using var sim = await StartSimulatorAsync(new() { Seed = 3, UnavailableRate = 0.3, ResponseLossRate = 0.2 });
        var client = NewClient(sim, o => o.Resilience.MaxRetryAttempts = 15);

        for (int i = 0; i < 30; i++)
        {
            await client.CreatePaymentAsync(Request($"order-{i}"), cancellationToken: Ct);
        }

        var byOrder = sim.Requests
            .Where(r => r.Path == "/v1/payments" && r.Body is not null)
            .GroupBy(r => System.Text.Json.JsonDocument.Parse(r.Body!).RootElement.GetProperty("orderId").GetString())
            .ToList();
        byOrder.Count.ShouldBe(30);
        byOrder.ShouldAllBe(g => g.Select(r => r.IdempotencyKey).Distinct().Count() == 1);
        byOrder.Select(g => g.First().IdempotencyKey).Distinct().Count().ShouldBe(30);
        byOrder.Count(g => g.Count() > 1).ShouldBeGreaterThan(0, "some calls were retried");
        sim.PaymentCount.ShouldBe(30);
    }

    [Fact]
    public async Task APostWithoutAKey_IsNeverSentTwice()
    {
        // The client always sends a key on create; a POST through the pipeline without one (a
        // merchant's own handler stripping it, say) must not be retried.
        await using var sim = await StartSimulatorAsync(new() { UnavailableRate = 1 });
        var options = Options(sim);
        var services = new ServiceCollection();
        services.AddKobbopayClient(options.CopyTo);
        await using var provider = services.BuildServiceProvider();
        using var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient(KobbopayServiceCollectionExtensions.HttpClientName(KobbopayServiceCollectionExtensions.DefaultName));

        using var response = await http.PostAsync("v1/payments", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"), Ct);

        ((int)response.StatusCode).ShouldBe(503);
        sim.Requests.Count.ShouldBe(1);
    }
}
