namespace Kobbopay.Simulator.Tests;

public sealed class AuthenticationTests
{
    private const string OtherTestKey = "kp_test_other_1111111111111111111111111111";
    private const string LiveKey = "kp_live_sim_2222222222222222222222222222";

    [Theory]
    [InlineData(null)]
    [InlineData("kp_test_unknown_0000000000000000000000000")]
    [InlineData("not-a-key")]
    [InlineData("")]
    public async Task Create_WithoutOrWithAnUnknownApiKey_Returns401AndCreatesNothing(string? key)
    {
        await using var sim = await SimulatorSession.StartAsync();
        using var client = sim.CreateClient(key);

        var response = await Payments.PostAsync(client, Payments.Body(), "key-1");

        response.ShouldBeError(401, "invalid_api_key");
        sim.PaymentCount.ShouldBe(0);
    }

    [Fact]
    public async Task Create_WithLiveKeyAgainstTheDefaultSimulator_Returns403EnvironmentMismatch()
    {
        await using var sim = await SimulatorSession.StartAsync();
        using var client = sim.CreateClient(LiveKey);

        var response = await Payments.PostAsync(client, Payments.Body(), "key-1");

        response.ShouldBeError(403, "environment_mismatch");
        sim.PaymentCount.ShouldBe(0);
        sim.LiveApiKey.ShouldBeNull();
    }

    [Fact]
    public async Task Get_PaymentOfAnotherEnvironment_Returns403EnvironmentMismatch()
    {
        await using var sim = await SimulatorSession.StartAsync(AddTwoEnvironments);
        using var liveClient = sim.CreateClient(sim.LiveApiKey);
        var id = (await Payments.CreateAsync(liveClient)).Str("id")!;

        var response = await sim.GetAsync($"v1/payments/{id}");

        response.ShouldBeError(403, "environment_mismatch");
        (await Payments.GetAsync(liveClient, id)).Str("id").ShouldBe(id);
        sim.GetPayment(id).Environment.ShouldBe("live");
    }

    [Fact]
    public async Task TwoEnvironments_ExposeBothKeysAndKeepTheirPaymentsApart()
    {
        await using var sim = await SimulatorSession.StartAsync(AddTwoEnvironments);
        using var liveClient = sim.CreateClient(sim.LiveApiKey);

        sim.TestApiKey.ShouldBe(OtherTestKey);
        sim.LiveApiKey.ShouldBe(LiveKey);
        var testPayment = await sim.CreatePaymentJsonAsync();
        var livePayment = await Payments.CreateAsync(liveClient);

        var testList = await sim.GetAsync("v1/payments");
        var liveList = await liveClient.GetApiAsync("v1/payments", Sim.Ct);
        testList.Json.Items("data").Select(p => p.Str("id")).ShouldBe([testPayment.Str("id")]);
        liveList.Json.Items("data").Select(p => p.Str("id")).ShouldBe([livePayment.Str("id")]);
        sim.GetPayment(testPayment.Str("id")!).Environment.ShouldBe("test");
    }

    [Fact]
    public async Task Create_RailEnabledOnlyInAnotherEnvironment_Returns422UnsupportedRail()
    {
        await using var sim = await SimulatorSession.StartAsync(AddTwoEnvironments);
        using var liveClient = sim.CreateClient(sim.LiveApiKey);

        var response = await Payments.PostAsync(liveClient, Payments.Body(network: "bitcoin", currency: "BTC", amount: "0.1"));

        response.ShouldBeError(422, "unsupported_rail");
        sim.PaymentCount.ShouldBe(0);
    }

    [Fact]
    public async Task Create_CustomApiKeyHeaderName_IsTheOneRead()
    {
        await using var sim = await SimulatorSession.StartAsync(o => o.ApiKeyHeaderName = "x-kobbo-key");
        using var customHeaderClient = sim.CreateClient(sim.TestApiKey, "x-kobbo-key");

        var rejected = await sim.PostPaymentAsync(Payments.Body());
        var accepted = await Payments.PostAsync(customHeaderClient, Payments.Body());

        rejected.ShouldBeError(401, "invalid_api_key");
        accepted.Status.ShouldBe(201, accepted.Body);
        sim.PaymentCount.ShouldBe(1);
    }

    private static void AddTwoEnvironments(KobbopaySimulatorOptions options)
    {
        options.Environments.Add(new SimulatorEnvironmentOptions
        {
            Name = "test",
            IsProduction = false,
            ApiKeys = { OtherTestKey },
            Rails = { new SimulatorRail("example-network", "USDT", 6), new SimulatorRail("bitcoin", "BTC", 8) },
        });
        options.Environments.Add(new SimulatorEnvironmentOptions
        {
            Name = "live",
            IsProduction = true,
            ApiKeys = { LiveKey },
            Rails = { new SimulatorRail("example-network", "USDT", 6) },
        });
    }
}
