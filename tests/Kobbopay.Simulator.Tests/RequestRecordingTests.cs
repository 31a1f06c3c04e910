using System.Text.Json;
using Kobbopay.Simulator.Tests.TestSupport;
using Kobbopay.TestUtilities;

namespace Kobbopay.Simulator.Tests;

public sealed class RequestRecordingTests
{
    [Fact]
    public async Task Requests_RecordMethodPathStatusKeyAndRequestId()
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateClient();

        var created = await Payments.PostAsync(client, Payments.Body(orderId: "order-rec"), "rec-key-1");
        var rejected = await Payments.PostAsync(client, Payments.Body(amount: "0"), "rec-key-2");
        var listed = await client.GetApiAsync("v1/payments?limit=5", Sim.Ct);

        var recorded = sim.Requests.Where(r => r.Path.StartsWith("/v1", StringComparison.Ordinal)).ToList();
        recorded.Count.ShouldBe(3);
        recorded[0].Method.ShouldBe("POST");
        recorded[0].Path.ShouldBe("/v1/payments");
        recorded[0].StatusCode.ShouldBe(201);
        recorded[0].IdempotencyKey.ShouldBe("rec-key-1");
        recorded[0].Fault.ShouldBeNull();
        recorded[0].Environment.ShouldBe("test");
        recorded[0].RequestId.ShouldBe(created.RequestId);
        recorded[0].ReceivedAt.ShouldBe(Sim.Start);
        recorded[0].Body!.ShouldContain("order-rec");
        recorded[1].StatusCode.ShouldBe(400);
        recorded[1].IdempotencyKey.ShouldBe("rec-key-2");
        recorded[1].RequestId.ShouldBe(rejected.RequestId);
        recorded[2].Method.ShouldBe("GET");
        recorded[2].QueryString.ShouldBe("?limit=5");
        recorded[2].StatusCode.ShouldBe(200);
        recorded[2].IdempotencyKey.ShouldBeNull();
        recorded[2].RequestId.ShouldBe(listed.RequestId);
        recorded.Select(r => r.Sequence).ShouldBe(recorded.Select(r => r.Sequence).Order());
        recorded.Select(r => r.Sequence).Distinct().Count().ShouldBe(3);
    }

    [Fact]
    public async Task Requests_OverHttp_ShowTheSameFields()
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateClient();
        using var control = sim.CreateAnonymousClient();
        var created = await Payments.PostAsync(client, Payments.Body(), "http-key-1");

        var response = await control.GetApiAsync("_sim/requests", Sim.Ct);

        response.Status.ShouldBe(200, response.Body);
        var record = ControlApiTests.RecordedItems(response).Single(r => r.Str("path") == "/v1/payments");
        record.Str("method").ShouldBe("POST");
        record.Int("statusCode").ShouldBe(201);
        record.Str("idempotencyKey").ShouldBe("http-key-1");
        record.Str("requestId").ShouldBe(created.RequestId);
        record.Prop("fault").ValueKind.ShouldBe(JsonValueKind.Null);
        record.Str("environment").ShouldBe("test");
    }

    [Fact]
    public async Task Requests_RecordInjectedFaults()
    {
        var options = Sim.Options();
        options.Faults = new SimulatorFaultOptions { Seed = 1, RateLimitRate = 1 };
        await using var sim = await KobbopaySimulator.StartAsync(options, Sim.Ct);
        using var client = sim.CreateClient();
        using var control = sim.CreateAnonymousClient();
        await Payments.PostAsync(client, Payments.Body(), "fault-key");

        var response = await control.GetApiAsync("_sim/requests", Sim.Ct);

        var inProcess = sim.Requests.Single(r => r.Path == "/v1/payments");
        inProcess.Fault.ShouldBe("rate_limited");
        inProcess.StatusCode.ShouldBe(429);
        inProcess.IdempotencyKey.ShouldBe("fault-key");
        var overHttp = ControlApiTests.RecordedItems(response).Single(r => r.Str("path") == "/v1/payments");
        overHttp.Str("fault").ShouldBe("rate_limited");
        overHttp.Int("statusCode").ShouldBe(429);
    }

    [Fact]
    public async Task Requests_NeverHoldTheApiKey()
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateClient();
        using var control = sim.CreateAnonymousClient();
        using var wrongKey = SimulatorHttp.CreateClient(sim.BaseAddress, "kp_test_wrong_secret_9999999999999999");
        await Payments.CreateAsync(client);
        await Payments.PostAsync(client, "{", "k-2");
        await client.GetApiAsync("v1/payments?limit=3", Sim.Ct);
        await client.GetApiAsync("v1/payments/pay_missing", Sim.Ct);
        await wrongKey.GetApiAsync("v1/payments", Sim.Ct);

        var serialized = JsonSerializer.Serialize(sim.Requests);
        var overHttp = await control.GetApiAsync("_sim/requests", Sim.Ct);

        sim.Requests.Count(r => r.Path.StartsWith("/v1", StringComparison.Ordinal)).ShouldBe(5);
        serialized.ShouldNotContain(sim.TestApiKey);
        serialized.ShouldNotContain("kp_test_wrong_secret");
        overHttp.Status.ShouldBe(200);
        overHttp.Body.ShouldNotContain(sim.TestApiKey);
        overHttp.Body.ShouldNotContain("kp_test_wrong_secret");
        sim.Requests.Where(r => r.Path == "/v1/payments" && r.StatusCode == 401).ShouldHaveSingleItem().Environment.ShouldBeNull();
    }

    [Fact]
    public async Task Requests_CapacityKeepsTheNewest()
    {
        var options = Sim.Options();
        options.RecordedRequestCapacity = 3;
        await using var sim = await KobbopaySimulator.StartAsync(options, Sim.Ct);
        using var client = sim.CreateClient();
        for (var i = 0; i < 6; i++)
        {
            await client.GetApiAsync($"v1/events?limit={i + 1}", Sim.Ct);
        }

        sim.Requests.Count.ShouldBe(3);
        sim.Requests.Select(r => r.QueryString).ShouldBe(["?limit=4", "?limit=5", "?limit=6"]);
    }
}
