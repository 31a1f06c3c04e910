using Kobbopay.Simulator.Tests.TestSupport;
using Kobbopay.TestUtilities;

namespace Kobbopay.Simulator.Tests;

public sealed class AuthenticationTests
{
    private const string OtherTestKey = "kp_test_other_1111111111111111111111111111";
    private const string LiveKey = "kp_live_sim_2222222222222222222222222222";

    [Fact]
    public async Task Create_WithoutApiKey_Returns401AndCreatesNothing()
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateAnonymousClient();

        var response = await Payments.PostAsync(client, Payments.Body(), "key-1");

        response.ShouldBeError(401, "invalid_api_key");
        sim.PaymentCount.ShouldBe(0);
    }

    [Theory]
    [InlineData("kp_test_unknown_0000000000000000000000000")]
    [InlineData("not-a-key")]
    [InlineData("")]
    public async Task Create_WithUnknownApiKey_Returns401AndCreatesNothing(string key)
    {
        await using var sim = await Sim.StartAsync();
        using var client = SimulatorHttp.CreateClient(sim.BaseAddress, key);

        var response = await Payments.PostAsync(client, Payments.Body());

        response.ShouldBeError(401, "invalid_api_key");
        sim.PaymentCount.ShouldBe(0);
    }

    [Theory]
    [InlineData("v1/payments")]
    [InlineData("v1/payments/pay_123")]
    [InlineData("v1/events")]
    public async Task Get_WithoutApiKey_Returns401(string path)
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateAnonymousClient();

        var response = await client.GetApiAsync(path, Sim.Ct);

        response.ShouldBeError(401, "invalid_api_key");
    }

    [Fact]
    public async Task Create_WithLiveKeyAgainstTheDefaultSimulator_Returns403EnvironmentMismatch()
    {
        await using var sim = await Sim.StartAsync();
        using var client = SimulatorHttp.CreateClient(sim.BaseAddress, LiveKey);

        var response = await Payments.PostAsync(client, Payments.Body(), "key-1");

        response.ShouldBeError(403, "environment_mismatch");
        sim.PaymentCount.ShouldBe(0);
        sim.LiveApiKey.ShouldBeNull();
    }

    [Fact]
    public async Task Get_PaymentOfAnotherEnvironment_Returns403EnvironmentMismatch()
    {
        await using var sim = await KobbopaySimulator.StartAsync(TwoEnvironments(), Sim.Ct);
        using var testClient = sim.CreateClient();
        using var liveClient = SimulatorHttp.CreateClient(sim.BaseAddress, sim.LiveApiKey);
        var livePayment = await Payments.CreateAsync(liveClient);
        var id = livePayment.Str("id")!;

        var response = await testClient.GetApiAsync($"v1/payments/{id}", Sim.Ct);

        response.ShouldBeError(403, "environment_mismatch");
        (await Payments.GetAsync(liveClient, id)).Str("id").ShouldBe(id);
        sim.GetPayment(id).Environment.ShouldBe("live");
    }

    [Fact]
    public async Task TwoEnvironments_ExposeBothKeysAndKeepTheirPaymentsApart()
    {
        await using var sim = await KobbopaySimulator.StartAsync(TwoEnvironments(), Sim.Ct);
        using var testClient = sim.CreateClient();
        using var liveClient = SimulatorHttp.CreateClient(sim.BaseAddress, sim.LiveApiKey);

        sim.TestApiKey.ShouldBe(OtherTestKey);
        sim.LiveApiKey.ShouldBe(LiveKey);
        var testPayment = await Payments.CreateAsync(testClient);
        var livePayment = await Payments.CreateAsync(liveClient);

        var testList = await testClient.GetApiAsync("v1/payments", Sim.Ct);
        var liveList = await liveClient.GetApiAsync("v1/payments", Sim.Ct);
        testList.Json.Items("data").Select(p => p.Str("id")).ShouldBe([testPayment.Str("id")]);
        liveList.Json.Items("data").Select(p => p.Str("id")).ShouldBe([livePayment.Str("id")]);
        sim.GetPayment(testPayment.Str("id")!).Environment.ShouldBe("test");
    }

    [Fact]
    public async Task Create_RailEnabledOnlyInAnotherEnvironment_Returns422UnsupportedRail()
    {
        await using var sim = await KobbopaySimulator.StartAsync(TwoEnvironments(), Sim.Ct);
        using var liveClient = SimulatorHttp.CreateClient(sim.BaseAddress, sim.LiveApiKey);

        var response = await Payments.PostAsync(liveClient, Payments.Body(network: "bitcoin", currency: "BTC", amount: "0.1"));

        response.ShouldBeError(422, "unsupported_rail");
        sim.PaymentCount.ShouldBe(0);
    }

    [Fact]
    public async Task Create_CustomApiKeyHeaderName_IsTheOneRead()
    {
        var options = Sim.Options();
        options.ApiKeyHeaderName = "x-kobbo-key";
        await using var sim = await KobbopaySimulator.StartAsync(options, Sim.Ct);
        using var defaultHeaderClient = sim.CreateClient();
        using var customHeaderClient = SimulatorHttp.CreateClient(sim.BaseAddress, sim.TestApiKey, "x-kobbo-key");

        var rejected = await Payments.PostAsync(defaultHeaderClient, Payments.Body());
        var accepted = await Payments.PostAsync(customHeaderClient, Payments.Body());

        rejected.ShouldBeError(401, "invalid_api_key");
        accepted.Status.ShouldBe(201, accepted.Body);
        sim.PaymentCount.ShouldBe(1);
    }

    private static KobbopaySimulatorOptions TwoEnvironments()
    {
        var options = Sim.Options();
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
        return options;
    }
}
