using Kobbopay.Simulator.Tests.TestSupport;
using Kobbopay.TestUtilities;
using Microsoft.AspNetCore.Http;

namespace Kobbopay.Simulator.Tests;

/// <summary>Removing, disabling and enabling webhook endpoints through the control API, as a QA engineer does.</summary>
public sealed class WebhookEndpointLifecycleTests
{
    [Fact]
    public async Task ARemovedEndpoint_GetsNoMoreRetries_AndItsPendingDeliveriesAreCancelled()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = _ => Task.FromResult(Results.StatusCode(500));
        await using var sim = await Sim.StartAsync();
        using var control = sim.CreateAnonymousClient();
        var endpoint = sim.AddWebhookEndpoint(receiver.Url);
        using var api = sim.CreateClient();
        await Payments.CreateAsync(api);
        await sim.WhenWebhooksIdleAsync(Sim.Ct);
        receiver.Requests.Count.ShouldBe(1);

        var removed = await control.DeleteApiAsync($"_sim/webhook-endpoints/{endpoint.Id}", Sim.Ct);
        sim.Clock.Advance(TimeSpan.FromHours(11));
        await sim.WhenWebhooksIdleAsync(Sim.Ct);

        removed.Status.ShouldBe(204, removed.Body);
        receiver.Requests.Count.ShouldBe(1, "no retry after the endpoint was removed");
        var delivery = sim.Deliveries.ShouldHaveSingleItem();
        (delivery.Status, delivery.NextAttemptAt).ShouldBe(("cancelled", (DateTimeOffset?)null));
        var redeliver = await control.PostJsonAsync($"_sim/deliveries/{delivery.Id}/redeliver", null, Sim.Ct);
        redeliver.ShouldBeError(409, "endpoint_not_found");
        receiver.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task AnEndpointDisabledBy410_RefusesRedelivery_UntilItIsEnabledAgain()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = _ => Task.FromResult(Results.StatusCode(410));
        await using var sim = await Sim.StartAsync();
        using var control = sim.CreateAnonymousClient();
        var endpoint = sim.AddWebhookEndpoint(receiver.Url);
        using var api = sim.CreateClient();
        await Payments.CreateAsync(api);
        await sim.WhenWebhooksIdleAsync(Sim.Ct);
        var delivery = sim.Deliveries.ShouldHaveSingleItem();
        sim.WebhookEndpoints.Single().Enabled.ShouldBeFalse();

        var refused = await control.PostJsonAsync($"_sim/deliveries/{delivery.Id}/redeliver", null, Sim.Ct);
        refused.ShouldBeError(409, "endpoint_disabled").Str("message")!.ShouldContain($"/_sim/webhook-endpoints/{endpoint.Id}/enable");
        receiver.Requests.Count.ShouldBe(1, "nothing is sent to a disabled endpoint");

        receiver.Answer = _ => Task.FromResult(Results.Ok());
        var enabled = await control.PostJsonAsync($"_sim/webhook-endpoints/{endpoint.Id}/enable", null, Sim.Ct);
        var redelivered = await control.PostJsonAsync($"_sim/deliveries/{delivery.Id}/redeliver", null, Sim.Ct);
        await sim.WhenWebhooksIdleAsync(Sim.Ct);

        enabled.Status.ShouldBe(200, enabled.Body);
        enabled.Json.GetProperty("enabled").GetBoolean().ShouldBeTrue();
        redelivered.Status.ShouldBe(200, redelivered.Body);
        receiver.Requests.Count.ShouldBe(2);
        sim.Deliveries.ShouldHaveSingleItem().Status.ShouldBe("succeeded");
        (await control.PostJsonAsync("_sim/webhook-endpoints/we_none/enable", null, Sim.Ct)).ShouldBeError(404, "endpoint_not_found");
    }
}
