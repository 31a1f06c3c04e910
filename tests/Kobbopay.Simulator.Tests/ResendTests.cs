using Kobbopay.Webhooks;

namespace Kobbopay.Simulator.Tests;

/// <summary>
/// <c>POST /_sim/events/{eventId}/resend</c> and <c>ResendEvent</c>, over real HTTP to receivers on loopback: new
/// deliveries of the same bytes, to every endpoint, one endpoint or a one-off address, and what the list says was sent.
/// </summary>
public sealed class ResendTests
{
    [Fact]
    public async Task Resend_WithNoTarget_SendsTheSameBytes_ToEveryEndpoint_AsNewDeliveries()
    {
        await using var scene = await WebhookScene.StartAsync(registered: 2);
        var original = scene.Sim.Deliveries.Select(d => d.Id).ToHashSet();

        var response = await scene.Sim.ControlPostAsync($"_sim/events/{scene.EventId}/resend");
        await scene.Sim.WhenWebhooksIdleAsync();

        response.Status.ShouldBe(200, response.Body);
        var sent = response.Json.GetProperty("deliveries").EnumerateArray().ToList();
        sent.Count.ShouldBe(2);
        sent.ShouldAllBe(d => d.Str("eventId") == scene.EventId && !original.Contains(d.Str("id")!) && d.Str("id")!.StartsWith("dlv_"));
        foreach (var receiver in scene.Receivers)
        {
            receiver.Requests.Count.ShouldBe(2);
            receiver.Requests[1].Body.ShouldBe(receiver.Requests[0].Body, "a resend sends the event's same bytes");
            receiver.Requests[1].Header("x-event-id").ShouldBe(scene.EventId);
            receiver.Requests[1].Header("x-delivery-id").ShouldNotBe(receiver.Requests[0].Header("x-delivery-id"));
        }

        scene.Sim.Deliveries.Count.ShouldBe(4);
        scene.Sim.Deliveries.ShouldAllBe(d => d.Status == "succeeded");
    }

    [Fact]
    public async Task Resend_ToOneEndpoint_SendsItThereOnly()
    {
        await using var scene = await WebhookScene.StartAsync(registered: 2);
        var target = scene.Endpoints[1];

        var response = await scene.Sim.ControlPostAsync($"_sim/events/{scene.EventId}/resend", $$"""{"endpointId":"{{target.Id}}"}""");
        await scene.Sim.WhenWebhooksIdleAsync();

        response.Status.ShouldBe(200, response.Body);
        response.Json.GetProperty("deliveries").EnumerateArray().ShouldHaveSingleItem().Str("endpointId").ShouldBe(target.Id);
        scene.Receivers[0].Requests.Count.ShouldBe(1);
        scene.Receivers[1].Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Resend_ToAnotherUrl_SendsTheSameBytes_SignedWithTheFirstEndpointsSecret_WithoutRegisteringIt()
    {
        await using var scene = await WebhookScene.StartAsync(registered: 1, unregistered: 1);
        var other = scene.Receivers[1];

        var response = await scene.Sim.ControlPostAsync($"_sim/events/{scene.EventId}/resend", $$"""{"url":"{{other.Url}}"}""");
        await scene.Sim.WhenWebhooksIdleAsync();

        response.Status.ShouldBe(200, response.Body);
        var delivery = response.Json.GetProperty("deliveries").EnumerateArray().ShouldHaveSingleItem();
        delivery.GetProperty("endpointId").ValueKind.ShouldBe(JsonValueKind.Null);
        delivery.Str("url").ShouldBe(other.Url.ToString());
        var got = other.Requests.ShouldHaveSingleItem();
        got.Body.ShouldBe(scene.Receivers[0].Requests.ShouldHaveSingleItem().Body);
        new HmacSha256HexSignatureScheme([scene.Endpoints[0].Secret]).Verify(got.Body.AsSpan(), new WebhookHeaders(got.Headers)).IsValid.ShouldBeTrue();
        scene.Endpoints.ShouldHaveSingleItem("the address is not registered");
    }

    [Fact]
    public async Task ResendEvent_ToAUrl_WithItsOwnSecretAndScheme_IsSignedWithThem()
    {
        await using var scene = await WebhookScene.StartAsync(registered: 0, unregistered: 1);
        const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

        var delivery = scene.Sim.Simulator.ResendEvent(scene.EventId, scene.Receivers[0].Url, Secret, "standard-webhooks");
        await scene.Sim.WhenWebhooksIdleAsync();

        scene.Original.ShouldBeNull("no delivery of the event was made before");
        delivery.EndpointId.ShouldBeNull();
        var got = scene.Receivers[0].Requests.ShouldHaveSingleItem();
        new StandardWebhooksSignatureScheme([Secret]).Verify(got.Body.AsSpan(), new WebhookHeaders(got.Headers)).IsValid.ShouldBeTrue();
        got.Text.ShouldBe(delivery.Body);
        JsonDocument.Parse(got.Body).RootElement.GetProperty("id").GetString().ShouldBe(scene.EventId);
    }

    [Fact]
    public async Task Resend_ToAUrl_IsRetriedOnTheSchedule_LikeAnyDelivery()
    {
        await using var scene = await WebhookScene.StartAsync(registered: 1, unregistered: 1);
        var other = scene.Receivers[1];
        other.Answer = WebhookSetup.FirstThenOk(Results.StatusCode(500));

        var delivery = scene.Sim.Simulator.ResendEvent(scene.EventId, url: other.Url).ShouldHaveSingleItem();
        await scene.Sim.WhenWebhooksIdleAsync();
        await scene.Sim.AdvanceAndDeliverAsync(TimeSpan.FromSeconds(5));

        other.Requests.Count.ShouldBe(2);
        var after = scene.Sim.Deliveries.Single(d => d.Id == delivery.Id);
        after.Status.ShouldBe("succeeded");
        after.Attempts.Select(a => a.StatusCode).ShouldBe([500, 200]);
    }

    [Fact]
    public async Task Resend_ToADisabledEndpoint_Is409_AndSendsNothing()
    {
        await using var scene = await WebhookScene.StartAsync(registered: 1);
        scene.Receivers[0].Answer = WebhookSetup.Always(410);
        scene.Sim.Pay(scene.Original!.PaymentId);
        await scene.Sim.WhenWebhooksIdleAsync();
        scene.Endpoints[0].Enabled.ShouldBeFalse();

        var response = await scene.Sim.ControlPostAsync($"_sim/events/{scene.EventId}/resend", $$"""{"endpointId":"{{scene.Endpoints[0].Id}}"}""");

        response.ShouldBeError(409, "endpoint_disabled");
        scene.Sim.Deliveries.Count.ShouldBe(2);
        scene.Receivers[0].Requests.Count.ShouldBe(2);
    }

    [Theory]
    [InlineData("evt_nope", null, 404, "event_not_found", null)]
    [InlineData(null, """{"endpointId":"we_nope"}""", 404, "endpoint_not_found", null)]
    [InlineData(null, """{"url":"http://127.0.0.1:1/hook","endpointId":"we_nope"}""", 400, "invalid_request", "endpointId")]
    [InlineData(null, """{"url":"ftp://127.0.0.1/hook"}""", 400, "invalid_request", "url")]
    [InlineData(null, """{"url":"/hook"}""", 400, "invalid_request", "url")]
    [InlineData(null, """{"secret":"whsk_x"}""", 400, "invalid_request", "secret")]
    [InlineData(null, """{"url":"http://127.0.0.1:1/hook","scheme":"rot13"}""", 400, "invalid_request", "scheme")]
    [InlineData(null, """{"target":"x"}""", 400, "invalid_request", "target")]
    public async Task Resend_RefusesWhatItCannotDo_NamingTheField(string? eventId, string? body, int status, string code, string? param)
    {
        await using var scene = await WebhookScene.StartAsync(registered: 1);

        var response = await scene.Sim.ControlPostAsync($"_sim/events/{eventId ?? scene.EventId}/resend", body);

        response.ShouldBeError(status, code, param);
        scene.Sim.Deliveries.Count.ShouldBe(1, "nothing was queued");
    }

    [Fact]
    public async Task TheDeliveriesList_CarriesTheHeadersAndBodySent_AsTheReceiverGotThem()
    {
        await using var scene = await WebhookScene.StartAsync(registered: 1);
        var got = scene.Receivers[0].Requests.Single();

        var list = await scene.Sim.ControlGetAsync($"_sim/deliveries?eventId={scene.EventId}");

        var delivery = list.Json.GetProperty("data").EnumerateArray().ShouldHaveSingleItem();
        delivery.Str("body").ShouldBe(got.Text);
        var headers = delivery.GetProperty("attempts").EnumerateArray().ShouldHaveSingleItem().GetProperty("requestHeaders");
        foreach (string name in new[] { "content-type", "x-event-id", "x-delivery-id", "x-signature", "user-agent", "content-length" })
        {
            headers.Str(name).ShouldBe(got.Header(name), name);
        }

        scene.Original!.Attempts.Single().RequestHeaders["x-signature"].ShouldBe(got.Header("x-signature"));
        scene.Original.Url.ShouldBe(scene.Receivers[0].Url);
    }

    [Fact]
    public async Task AnAttemptsToString_NamesTheHeaders_ButPrintsNoSignature()
    {
        await using var scene = await WebhookScene.StartAsync(registered: 1, scheme: "standard-webhooks");
        var attempt = scene.Original!.Attempts.Single();
        string signature = scene.Receivers[0].Requests.Single().Header("webhook-signature");

        string text = attempt.ToString();

        signature.ShouldNotBeNullOrEmpty();
        text.ShouldNotContain(signature);
        text.ShouldNotContain(signature.Split(',')[1]);
        text.ShouldContain("webhook-signature");
        text.ShouldContain($"DeliveryAttemptId = {attempt.DeliveryAttemptId}");
        text.ShouldContain("StatusCode = 200");
    }
}
