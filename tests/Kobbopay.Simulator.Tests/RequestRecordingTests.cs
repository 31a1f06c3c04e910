using System.Text.Json;

namespace Kobbopay.Simulator.Tests;

public sealed class RequestRecordingTests
{
    [Fact]
    public async Task Requests_RecordMethodPathStatusKeyAndRequestId()
    {
        await using var sim = await SimulatorSession.StartAsync();

        var created = await sim.PostPaymentAsync(Payments.Body(orderId: "order-rec"), "rec-key-1");
        var rejected = await sim.PostPaymentAsync(Payments.Body(amount: "0"), "rec-key-2");
        var listed = await sim.GetAsync("v1/payments?limit=5");

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
        await using var sim = await SimulatorSession.StartAsync();
        var created = await sim.PostPaymentAsync(Payments.Body(), "http-key-1");

        var response = await sim.ControlGetAsync("_sim/requests");

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
        await using var sim = await SimulatorSession.StartAsync(o => o.Faults = new SimulatorFaultOptions { Seed = 1, RateLimitRate = 1 });
        await sim.PostPaymentAsync(Payments.Body(), "fault-key");

        var response = await sim.ControlGetAsync("_sim/requests");

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
        await using var sim = await SimulatorSession.StartAsync();
        using var wrongKey = sim.CreateClient("kp_test_wrong_secret_9999999999999999");
        await sim.CreatePaymentJsonAsync();
        await sim.PostPaymentAsync("{", "k-2");
        await sim.GetAsync("v1/payments?limit=3");
        await sim.GetAsync("v1/payments/pay_missing");
        await wrongKey.GetApiAsync("v1/payments", Sim.Ct);

        var serialized = JsonSerializer.Serialize(sim.Requests);
        var overHttp = await sim.ControlGetAsync("_sim/requests");

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
        await using var sim = await SimulatorSession.StartAsync(o => o.RecordedRequestCapacity = 3);
        for (var i = 0; i < 6; i++)
        {
            await sim.GetAsync($"v1/events?limit={i + 1}");
        }

        sim.Requests.Count.ShouldBe(3);
        sim.Requests.Select(r => r.QueryString).ShouldBe(["?limit=4", "?limit=5", "?limit=6"]);
    }
}
