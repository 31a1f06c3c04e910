namespace Kobbopay.Simulator.Tests;

/// <summary><c>POST /_sim/reset</c> gives a test suite a clean gateway without a restart, keeping what was configured.</summary>
public sealed class ResetTests
{
    [Fact]
    public async Task Reset_ClearsPaymentsEventsKeysDeliveriesAndRequests_AndKeepsEndpointsAndFaults()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sim = await SimulatorSession.StartAsync();
        var endpoint = sim.AddWebhookEndpoint(receiver.Url);
        sim.Faults = new SimulatorFaultOptions { Seed = 5 };
        var first = await sim.CreatePaymentJsonAsync(idempotencyKey: "suite-key-1");
        await sim.CreatePaymentJsonAsync();
        await sim.WhenWebhooksIdleAsync();
        sim.Deliveries.Count.ShouldBe(2);

        var reset = await sim.ControlPostAsync("_sim/reset");

        reset.Status.ShouldBe(204, reset.Body);
        sim.PaymentCount.ShouldBe(0);
        sim.Deliveries.ShouldBeEmpty();
        sim.Requests.ShouldHaveSingleItem().Path.ShouldBe("/_sim/reset"); // only the reset call itself
        (await sim.GetAsync("v1/payments")).Json.Items("data").ShouldBeEmpty();
        (await sim.GetAsync("v1/events")).Json.Items("data").ShouldBeEmpty();
        (await sim.GetAsync($"v1/payments/{first.Str("id")}")).ShouldBeError(404, "payment_not_found");
        sim.WebhookEndpoints.ShouldHaveSingleItem().Id.ShouldBe(endpoint.Id);
        sim.Faults.Seed.ShouldBe(5);

        // After the reset: the same key makes a new payment (not a replay of one that is gone), delivered to the same endpoint.
        var again = await sim.CreatePaymentJsonAsync(idempotencyKey: "suite-key-1");
        await sim.WhenWebhooksIdleAsync();
        again.Str("id").ShouldNotBe(first.Str("id"));
        sim.PaymentCount.ShouldBe(1);
        sim.Deliveries.ShouldHaveSingleItem().Status.ShouldBe("succeeded");
        receiver.Requests.Count.ShouldBe(3);
    }
}
