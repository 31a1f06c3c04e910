namespace Kobbopay.Simulator.Tests;

/// <summary>Removing, disabling and enabling webhook endpoints through the control API, as a QA engineer does.</summary>
public sealed class WebhookEndpointLifecycleTests
{
    [Fact]
    public async Task ARemovedEndpoint_GetsNoMoreRetries_AndItsPendingDeliveriesAreCancelled()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sim = await WebhookSetup.StartWithOnePaymentDeliveredAsync(receiver, WebhookSetup.Always(500));
        var endpoint = sim.WebhookEndpoints.ShouldHaveSingleItem();
        receiver.Requests.Count.ShouldBe(1);

        var removed = await sim.ControlDeleteAsync($"_sim/webhook-endpoints/{endpoint.Id}");
        await sim.AdvanceAndDeliverAsync(TimeSpan.FromHours(11));

        removed.Status.ShouldBe(204, removed.Body);
        receiver.Requests.Count.ShouldBe(1, "no retry after the endpoint was removed");
        var delivery = sim.Deliveries.ShouldHaveSingleItem();
        (delivery.Status, delivery.NextAttemptAt).ShouldBe(("cancelled", (DateTimeOffset?)null));
        var redeliver = await sim.ControlPostAsync($"_sim/deliveries/{delivery.Id}/redeliver");
        redeliver.ShouldBeError(409, "endpoint_not_found");
        receiver.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task AnEndpointDisabledBy410_RefusesRedelivery_UntilItIsEnabledAgain()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sim = await WebhookSetup.StartWithOnePaymentDeliveredAsync(receiver, WebhookSetup.Always(410));
        var delivery = sim.Deliveries.ShouldHaveSingleItem();
        var endpoint = sim.WebhookEndpoints.ShouldHaveSingleItem();
        endpoint.Enabled.ShouldBeFalse();

        var refused = await sim.ControlPostAsync($"_sim/deliveries/{delivery.Id}/redeliver");
        refused.ShouldBeError(409, "endpoint_disabled").Str("message")!.ShouldContain($"/_sim/webhook-endpoints/{endpoint.Id}/enable");
        receiver.Requests.Count.ShouldBe(1, "nothing is sent to a disabled endpoint");

        receiver.Answer = WebhookSetup.Always(200);
        var enabled = await sim.ControlPostAsync($"_sim/webhook-endpoints/{endpoint.Id}/enable");
        var redelivered = await sim.ControlPostAsync($"_sim/deliveries/{delivery.Id}/redeliver");
        await sim.WhenWebhooksIdleAsync();

        enabled.Status.ShouldBe(200, enabled.Body);
        enabled.Json.GetProperty("enabled").GetBoolean().ShouldBeTrue();
        redelivered.Status.ShouldBe(200, redelivered.Body);
        receiver.Requests.Count.ShouldBe(2);
        sim.Deliveries.ShouldHaveSingleItem().Status.ShouldBe("succeeded");
        (await sim.ControlPostAsync("_sim/webhook-endpoints/we_none/enable")).ShouldBeError(404, "endpoint_not_found");
    }
}
