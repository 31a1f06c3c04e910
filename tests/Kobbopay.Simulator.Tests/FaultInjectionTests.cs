using System.Globalization;
using Kobbopay.Simulator.Tests.TestSupport;
using Kobbopay.TestUtilities;

namespace Kobbopay.Simulator.Tests;

public sealed class FaultInjectionTests
{
    private const string Dropped = "dropped";

    private static SimulatorFaultOptions Mixed(int seed) => new()
    {
        Seed = seed,
        InternalErrorRate = 0.06,
        UnavailableRate = 0.06,
        RateLimitRate = 0.06,
        DropConnectionRate = 0.06,
        ResponseLossRate = 0.06,
        RetryAfterSeconds = 2,
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
        first.Outcomes.ShouldContain("500");
        first.Outcomes.ShouldContain("503");
        first.Outcomes.ShouldContain("429");
        first.Outcomes.ShouldContain(Dropped);
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
        var options = Sim.Options();
        options.Faults = new SimulatorFaultOptions { Seed = 1, ResponseLossRate = 1 };
        await using var sim = await KobbopaySimulator.StartAsync(options, Sim.Ct);
        using var client = sim.CreateClient(reuseConnections: false);
        var body = Payments.Body();

        await Should.ThrowAsync<HttpRequestException>(() => Payments.PostAsync(client, body, "lost-1"));
        sim.PaymentCount.ShouldBe(1);
        sim.Faults = SimulatorFaultOptions.None;
        var retry = await Payments.PostAsync(client, body, "lost-1");

        retry.Status.ShouldBe(201, retry.Body);
        retry.Header("Idempotent-Replayed").ShouldBe("true");
        sim.PaymentCount.ShouldBe(1);
        var recorded = sim.Requests.Where(r => r.Path == "/v1/payments").ToList();
        recorded.Select(r => (r.Fault, r.StatusCode)).ShouldBe([("response_loss", 0), (null, 201)]);
    }

    [Fact]
    public async Task DropConnection_CreatesNothing()
    {
        var options = Sim.Options();
        options.Faults = new SimulatorFaultOptions { Seed = 1, DropConnectionRate = 1 };
        await using var sim = await KobbopaySimulator.StartAsync(options, Sim.Ct);
        using var client = sim.CreateClient(reuseConnections: false);

        await Should.ThrowAsync<HttpRequestException>(() => Payments.PostAsync(client, Payments.Body(), "drop-1"));

        sim.PaymentCount.ShouldBe(0);
        sim.Requests.Where(r => r.Path == "/v1/payments").Select(r => r.Fault).ShouldBe(["drop_connection"]);
    }

    [Fact]
    public async Task RateLimited_Returns429WithRetryAfterAndCreatesNothing()
    {
        var options = Sim.Options();
        options.Faults = new SimulatorFaultOptions { Seed = 1, RateLimitRate = 1, RetryAfterSeconds = 3 };
        await using var sim = await KobbopaySimulator.StartAsync(options, Sim.Ct);
        using var client = sim.CreateClient();

        var response = await Payments.PostAsync(client, Payments.Body(), "rl-1");

        response.ShouldBeError(429, "rate_limited");
        response.Header("Retry-After").ShouldBe("3");
        sim.PaymentCount.ShouldBe(0);
    }

    [Fact]
    public async Task InternalError_Returns500AndCreatesNothing()
    {
        var options = Sim.Options();
        options.Faults = new SimulatorFaultOptions { Seed = 1, InternalErrorRate = 1 };
        await using var sim = await KobbopaySimulator.StartAsync(options, Sim.Ct);
        using var client = sim.CreateClient();

        var create = await Payments.PostAsync(client, Payments.Body(), "ie-1");
        var list = await client.GetApiAsync("v1/payments", Sim.Ct);

        create.ShouldBeError(500, "internal_error");
        list.ShouldBeError(500, "internal_error");
        sim.PaymentCount.ShouldBe(0);
    }

    [Fact]
    public async Task Unavailable_Returns503AndCreatesNothing()
    {
        var options = Sim.Options();
        options.Faults = new SimulatorFaultOptions { Seed = 1, UnavailableRate = 1 };
        await using var sim = await KobbopaySimulator.StartAsync(options, Sim.Ct);
        using var client = sim.CreateClient();

        var response = await Payments.PostAsync(client, Payments.Body(), "un-1");

        response.ShouldBeError(503, "unavailable");
        sim.PaymentCount.ShouldBe(0);
    }

    [Fact]
    public async Task FaultedCreate_DoesNotBindTheIdempotencyKey()
    {
        var options = Sim.Options();
        options.Faults = new SimulatorFaultOptions { Seed = 1, UnavailableRate = 1 };
        await using var sim = await KobbopaySimulator.StartAsync(options, Sim.Ct);
        using var client = sim.CreateClient();
        var body = Payments.Body();
        (await Payments.PostAsync(client, body, "k-1")).Status.ShouldBe(503);

        sim.Faults = SimulatorFaultOptions.None;
        var retry = await Payments.PostAsync(client, body, "k-1");

        retry.Status.ShouldBe(201, retry.Body);
        retry.Header("Idempotent-Replayed").ShouldBeNull();
        sim.PaymentCount.ShouldBe(1);
    }

    [Fact]
    public async Task ControlApiAndOpenApi_AreNeverFaulted()
    {
        var options = Sim.Options();
        options.Faults = new SimulatorFaultOptions { Seed = 1, InternalErrorRate = 1 };
        await using var sim = await KobbopaySimulator.StartAsync(options, Sim.Ct);
        using var client = sim.CreateClient();
        using var control = sim.CreateAnonymousClient();
        sim.Faults = SimulatorFaultOptions.None;
        var id = (await Payments.CreateAsync(client)).Str("id")!;
        sim.Faults = new SimulatorFaultOptions { Seed = 1, InternalErrorRate = 1 };

        (await control.GetApiAsync("_sim/clock", Sim.Ct)).Status.ShouldBe(200);
        (await control.PostJsonAsync("_sim/clock/advance", """{"seconds":1}""", Sim.Ct)).Status.ShouldBe(200);
        (await control.GetApiAsync("_sim/faults", Sim.Ct)).Status.ShouldBe(200);
        (await control.GetApiAsync("_sim/requests", Sim.Ct)).Status.ShouldBe(200);
        (await control.PostJsonAsync($"_sim/payments/{id}/pay", "{}", Sim.Ct)).Status.ShouldBe(200);
        (await control.PostJsonAsync($"_sim/payments/{id}/confirm", "{}", Sim.Ct)).Status.ShouldBe(200);
        (await client.GetApiAsync("openapi/v1.json", Sim.Ct)).Status.ShouldBe(200);
        (await client.GetApiAsync($"v1/payments/{id}", Sim.Ct)).ShouldBeError(500, "internal_error");
        sim.Requests.Where(r => r.Path.StartsWith("/_sim", StringComparison.Ordinal)).ShouldAllBe(r => r.Fault == null);
    }

    [Fact]
    public async Task FaultsPutOverHttp_TakeEffectOnTheApi()
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateClient();
        using var control = sim.CreateAnonymousClient();

        var put = await control.PutJsonAsync("_sim/faults", """{"seed":5,"rateLimitRate":1,"retryAfterSeconds":7}""", Sim.Ct);
        var limited = await Payments.PostAsync(client, Payments.Body());
        var reset = await control.PutJsonAsync("_sim/faults", """{"seed":5}""", Sim.Ct);
        var served = await Payments.PostAsync(client, Payments.Body());

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

        await using var sim = await Sim.StartAsync();
        using var control = sim.CreateAnonymousClient();
        const string mixed = """{"seed":11,"internalErrorRate":0.06,"unavailableRate":0.06,"rateLimitRate":0.06,"dropConnectionRate":0.06,"responseLossRate":0.06,"retryAfterSeconds":2}""";
        (await control.PutJsonAsync("_sim/faults", mixed, Sim.Ct)).Status.ShouldBe(200);
        var actual = await RunSequenceAsync(sim, 60);

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
