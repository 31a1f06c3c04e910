using System.Globalization;
using System.Text.Json;

namespace Kobbopay.Simulator.Tests;

public sealed class FaultInjectionTests
{
    private const string Dropped = "dropped";

    /// <summary>Every fault kind at 6 %, so about 30 % of the requests are faulted.</summary>
    private static SimulatorFaultOptions Mixed(int seed) => new()
    {
        Seed = seed, InternalErrorRate = 0.06, UnavailableRate = 0.06, RateLimitRate = 0.06,
        DropConnectionRate = 0.06, ResponseLossRate = 0.06, RetryAfterSeconds = 2,
    };

    [Fact]
    public async Task SameSeed_GivesTheSameSequenceOfOutcomes()
    {
        var first = await RunMixedAsync(seed: 7);
        var second = await RunMixedAsync(seed: 7);

        TestContext.Current.TestOutputHelper?.WriteLine(string.Join(" ", first.Outcomes));
        second.Outcomes.ShouldBe(first.Outcomes);
        second.Faults.ShouldBe(first.Faults);
        first.Outcomes.Count(o => o == "201").ShouldBeInRange(100, 180, "30% of 200 requests faulted, roughly");
        new[] { "500", "503", "429", Dropped }.Except(first.Outcomes).ShouldBeEmpty("every kind of fault occurs");
    }

    [Fact]
    public async Task DifferentSeed_GivesADifferentSequence()
    {
        var seven = await RunMixedAsync(seed: 7);
        var eight = await RunMixedAsync(seed: 8);

        eight.Outcomes.ShouldNotBe(seven.Outcomes);
    }

    [Fact]
    public async Task MixedFaults_OnlyLostResponsesCreateUnseenPayments()
    {
        var run = await RunMixedAsync(seed: 7);

        // Every 201 is a payment; a lost response is a payment the caller never saw; nothing else creates one.
        run.PaymentCount.ShouldBe(run.Outcomes.Count(o => o == "201") + run.Faults.Count(f => f == "response_loss"));
        run.Outcomes.Count(o => o == Dropped).ShouldBe(run.Faults.Count(f => f is "drop_connection" or "response_loss"));
        run.Outcomes.Count(o => o == "500").ShouldBe(run.Faults.Count(f => f == "internal_error"));
        run.Outcomes.Count(o => o == "503").ShouldBe(run.Faults.Count(f => f == "unavailable"));
        run.Outcomes.Count(o => o == "429").ShouldBe(run.Faults.Count(f => f == "rate_limited"));
        run.Outcomes.ShouldAllBe(o => o == "201" || o == "500" || o == "503" || o == "429" || o == Dropped);
    }

    [Fact]
    public async Task ResponseLoss_CreatesThePaymentAndTheRetryWithTheSameKeyReplaysIt()
    {
        await using var sim = await SimulatorSession.StartWithFaultsAsync(new SimulatorFaultOptions { Seed = 1, ResponseLossRate = 1 });
        using var client = sim.Simulator.CreateClient(reuseConnections: false);
        var body = Payments.Body();

        await Should.ThrowAsync<HttpRequestException>(() => Payments.PostAsync(client, body, "lost-1"));
        sim.PaymentCount.ShouldBe(1);
        sim.Faults = SimulatorFaultOptions.None;
        var retry = await Payments.PostAsync(client, body, "lost-1");

        retry.Status.ShouldBe(201, retry.Body);
        retry.Header(ApiAssert.ReplayedHeader).ShouldBe("true");
        sim.PaymentCount.ShouldBe(1);
        var recorded = sim.Requests.Where(r => r.Path == "/v1/payments").ToList();
        recorded.Select(r => (r.Fault, r.StatusCode)).ShouldBe([("response_loss", 0), (null, 201)]);
    }

    [Fact]
    public async Task DropConnection_CreatesNothing()
    {
        await using var sim = await SimulatorSession.StartWithFaultsAsync(new SimulatorFaultOptions { Seed = 1, DropConnectionRate = 1 });
        using var client = sim.Simulator.CreateClient(reuseConnections: false);

        await Should.ThrowAsync<HttpRequestException>(() => Payments.PostAsync(client, Payments.Body(), "drop-1"));

        sim.PaymentCount.ShouldBe(0);
        sim.Requests.Where(r => r.Path == "/v1/payments").Select(r => r.Fault).ShouldBe(["drop_connection"]);
    }

    [Theory]
    [InlineData("rate_limited", 429, "3")]
    [InlineData("internal_error", 500, null)]
    [InlineData("unavailable", 503, null)]
    public async Task AnAnsweredFault_ReturnsItsContractErrorOnEveryApiCall_AndCreatesNothing(string code, int status, string? retryAfter)
    {
        await using var sim = await SimulatorSession.StartWithFaultsAsync(Always(code));

        var create = await sim.PostPaymentAsync(Payments.Body(), "key-1");
        var list = await sim.GetAsync("v1/payments");

        create.ShouldBeError(status, code);
        create.Header("Retry-After").ShouldBe(retryAfter);
        list.ShouldBeError(status, code);
        sim.PaymentCount.ShouldBe(0);
    }

    [Fact]
    public async Task FaultedCreate_DoesNotBindTheIdempotencyKey()
    {
        await using var sim = await SimulatorSession.StartWithFaultsAsync(Always("unavailable"));
        var body = Payments.Body();
        (await sim.PostPaymentAsync(body, "k-1")).Status.ShouldBe(503);

        sim.Faults = SimulatorFaultOptions.None;
        var retry = await sim.PostPaymentAsync(body, "k-1");

        retry.ShouldBeFreshlyCreated();
        sim.PaymentCount.ShouldBe(1);
    }

    [Fact]
    public async Task ControlApiAndOpenApi_AreNeverFaulted()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var id = await sim.CreatePaymentAsync();
        sim.Faults = Always("internal_error");

        (await sim.ControlGetAsync("_sim/clock")).Status.ShouldBe(200);
        (await sim.ControlPostAsync("_sim/clock/advance", """{"seconds":1}""")).Status.ShouldBe(200);
        (await sim.ControlGetAsync("_sim/faults")).Status.ShouldBe(200);
        (await sim.ControlGetAsync("_sim/requests")).Status.ShouldBe(200);
        (await sim.ControlPostAsync($"_sim/payments/{id}/pay", "{}")).Status.ShouldBe(200);
        (await sim.ControlPostAsync($"_sim/payments/{id}/confirm", "{}")).Status.ShouldBe(200);
        (await sim.GetAsync("openapi/v1.json")).Status.ShouldBe(200);
        (await sim.GetAsync($"v1/payments/{id}")).ShouldBeError(500, "internal_error");
        sim.Requests.Where(r => r.Path.StartsWith("/_sim", StringComparison.Ordinal)).ShouldAllBe(r => r.Fault == null);
    }

    [Fact]
    public async Task FaultsPutOverHttp_TakeEffectOnTheApi()
    {
        await using var sim = await SimulatorSession.StartAsync();

        var put = await sim.ControlPutAsync("_sim/faults", """{"seed":5,"rateLimitRate":1,"retryAfterSeconds":7}""");
        var limited = await sim.PostPaymentAsync();
        var reset = await sim.ControlPutAsync("_sim/faults", """{"seed":5}""");
        var served = await sim.PostPaymentAsync();

        put.Status.ShouldBe(200, put.Body);
        limited.ShouldBeError(429, "rate_limited");
        limited.Header("Retry-After").ShouldBe("7");
        reset.Status.ShouldBe(200, reset.Body);
        served.Status.ShouldBe(201, served.Body);
        sim.PaymentCount.ShouldBe(1);
    }

    [Fact]
    public async Task FaultsPutOverHttp_ResetTheGeneratorLikeAFreshStart()
    {
        await using var reference = await KobbopaySimulator.StartAsync(WithFaults(Mixed(11)), Sim.Ct);
        var expected = await RunSequenceAsync(reference, 60);

        await using var sim = await SimulatorSession.StartAsync();
        (await sim.ControlPutAsync("_sim/faults", JsonSerializer.Serialize(Mixed(11), JsonSerializerOptions.Web))).Status.ShouldBe(200);
        var actual = await RunSequenceAsync(sim.Simulator, 60);

        actual.ShouldBe(expected);
    }

    [Fact]
    public async Task FaultsSetInProcess_ResetTheGeneratorWithTheSeed()
    {
        await using var sim = await Sim.StartAsync();

        sim.Faults = Mixed(7);
        var first = await RunSequenceAsync(sim, 60);
        sim.Faults = Mixed(7);
        var second = await RunSequenceAsync(sim, 60, prefix: "again-");

        second.ShouldBe(first);
    }

    /// <summary>Faults that answer every API call with the fault named by its contract code (a 1 s Retry-After but for 429's 3 s).</summary>
    private static SimulatorFaultOptions Always(string code) => code switch
    {
        "rate_limited" => new() { Seed = 1, RateLimitRate = 1, RetryAfterSeconds = 3 },
        "internal_error" => new() { Seed = 1, InternalErrorRate = 1 },
        "unavailable" => new() { Seed = 1, UnavailableRate = 1 },
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "not an answered fault"),
    };

    private static KobbopaySimulatorOptions WithFaults(SimulatorFaultOptions faults)
    {
        var options = Sim.Options();
        options.Faults = faults;
        return options;
    }

    private static async Task<MixedRun> RunMixedAsync(int seed)
    {
        await using var sim = await KobbopaySimulator.StartAsync(WithFaults(Mixed(seed)), Sim.Ct);
        var outcomes = await RunSequenceAsync(sim, 200);
        var faults = sim.Requests.Where(r => r.Path == "/v1/payments").Select(r => r.Fault).ToList();
        faults.Count.ShouldBe(200);
        return new MixedRun(outcomes, faults, sim.PaymentCount);
    }

    /// <summary>Sends <paramref name="count"/> sequential creates, each its own order and key; "201", "500"… or "dropped".</summary>
    private static async Task<List<string>> RunSequenceAsync(KobbopaySimulator sim, int count, string prefix = "")
    {
        using var client = sim.CreateClient(reuseConnections: false);
        List<string> outcomes = [];
        for (var i = 0; i < count; i++)
        {
            var n = i.ToString(CultureInfo.InvariantCulture);
            try
            {
                var response = await Payments.PostAsync(client, Payments.Body(orderId: prefix + "order-" + n), prefix + "key-" + n);
                outcomes.Add(response.Status.ToString(CultureInfo.InvariantCulture));
                if (response.Status == 429)
                {
                    response.Header("Retry-After").ShouldBe("2");
                }
            }
            catch (HttpRequestException)
            {
                outcomes.Add(Dropped);
            }
        }

        return outcomes;
    }

    private sealed record MixedRun(List<string> Outcomes, List<string?> Faults, int PaymentCount);
}
