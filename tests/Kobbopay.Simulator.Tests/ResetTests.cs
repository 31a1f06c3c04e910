using Kobbopay.Simulator.Tests.TestSupport;
using Kobbopay.TestUtilities;

namespace Kobbopay.Simulator.Tests;

/// <summary><c>POST /_sim/reset</c> gives a test suite a clean gateway without a restart, keeping what was configured.</summary>
public sealed class ResetTests
{
    [Fact]
    public async Task Reset_ClearsPaymentsEventsKeysDeliveriesAndRequests_AndKeepsEndpointsAndFaults()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sim = await Sim.StartAsync();
        using var control = sim.CreateAnonymousClient();
        using var api = sim.CreateClient();
        var endpoint = sim.AddWebhookEndpoint(receiver.Url);
        sim.Faults = new SimulatorFaultOptions { Seed = 5 };
        var first = await Payments.CreateAsync(api, idempotencyKey: "suite-key-1");
        await Payments.CreateAsync(api);
        await sim.WhenWebhooksIdleAsync(Sim.Ct);
        sim.Deliveries.Count.ShouldBe(2);

        var reset = await control.PostJsonAsync("_sim/reset", null, Sim.Ct);

        reset.Status.ShouldBe(204, reset.Body);
        sim.PaymentCount.ShouldBe(0);
        sim.Deliveries.ShouldBeEmpty();
        sim.Requests.ShouldHaveSingleItem().Path.ShouldBe("/_sim/reset"); // only the reset call itself
        (await api.GetApiAsync("v1/payments", Sim.Ct)).Json.Items("data").ShouldBeEmpty();
        (await api.GetApiAsync("v1/events", Sim.Ct)).Json.Items("data").ShouldBeEmpty();
        (await api.GetApiAsync($"v1/payments/{first.Str("id")}", Sim.Ct)).ShouldBeError(404, "payment_not_found");
        sim.WebhookEndpoints.ShouldHaveSingleItem().Id.ShouldBe(endpoint.Id);
        sim.Faults.Seed.ShouldBe(5);

        // After the reset: the same key makes a new payment (not a replay of one that is gone), delivered to the same endpoint.
        var again = await Payments.CreateAsync(api, idempotencyKey: "suite-key-1");
        await sim.WhenWebhooksIdleAsync(Sim.Ct);
        again.Str("id").ShouldNotBe(first.Str("id"));
        sim.PaymentCount.ShouldBe(1);
        sim.Deliveries.ShouldHaveSingleItem().Status.ShouldBe("succeeded");
        receiver.Requests.Count.ShouldBe(3);
    }
}
