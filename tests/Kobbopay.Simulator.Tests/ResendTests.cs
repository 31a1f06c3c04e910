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
        await using var first = await WebhookReceiver.StartAsync();
        await using var second = await WebhookReceiver.StartAsync();
        await using var sim = await SimulatorSession.StartAsync();
        sim.AddWebhookEndpoint(first.Url);
        sim.AddWebhookEndpoint(second.Url);
        string eventId = await CreatedEventAsync(sim);
        var original = sim.Deliveries.Select(d => d.Id).ToHashSet();

        var response = await sim.ControlPostAsync($"_sim/events/{eventId}/resend");
        await sim.WhenWebhooksIdleAsync();

        response.Status.ShouldBe(200, response.Body);
        var sent = response.Json.GetProperty("deliveries").EnumerateArray().ToList();
        sent.Count.ShouldBe(2);
        sent.ShouldAllBe(d => d.Str("eventId") == eventId && !original.Contains(d.Str("id")!) && d.Str("id")!.StartsWith("dlv_"));
        foreach (var receiver in new[] { first, second })
        {
            receiver.Requests.Count.ShouldBe(2);
            receiver.Requests[1].Body.ShouldBe(receiver.Requests[0].Body, "a resend sends the event's same bytes");
            receiver.Requests[1].Header("x-event-id").ShouldBe(eventId);
            receiver.Requests[1].Header("x-delivery-id").ShouldNotBe(receiver.Requests[0].Header("x-delivery-id"));
        }

        sim.Deliveries.Count.ShouldBe(4);
        sim.Deliveries.ShouldAllBe(d => d.Status == "succeeded");
    }

    [Fact]
    public async Task Resend_ToOneEndpoint_SendsItThereOnly()
    {
        await using var first = await WebhookReceiver.StartAsync();
        await using var second = await WebhookReceiver.StartAsync();
        await using var sim = await SimulatorSession.StartAsync();
        sim.AddWebhookEndpoint(first.Url);
        var target = sim.AddWebhookEndpoint(second.Url);
        string eventId = await CreatedEventAsync(sim);

        var response = await sim.ControlPostAsync($"_sim/events/{eventId}/resend", $$"""{"endpointId":"{{target.Id}}"}""");
        await sim.WhenWebhooksIdleAsync();

        response.Status.ShouldBe(200, response.Body);
        response.Json.GetProperty("deliveries").EnumerateArray().ShouldHaveSingleItem().Str("endpointId").ShouldBe(target.Id);
        first.Requests.Count.ShouldBe(1);
        second.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Resend_ToAnotherUrl_SendsTheSameBytes_SignedWithTheFirstEndpointsSecret_WithoutRegisteringIt()
    {
        await using var registered = await WebhookReceiver.StartAsync();
        await using var other = await WebhookReceiver.StartAsync();
        await using var sim = await SimulatorSession.StartAsync();
        var endpoint = sim.AddWebhookEndpoint(registered.Url, "whsk_test_secret");
        string eventId = await CreatedEventAsync(sim);

        var response = await sim.ControlPostAsync($"_sim/events/{eventId}/resend", $$"""{"url":"{{other.Url}}"}""");
        await sim.WhenWebhooksIdleAsync();

        response.Status.ShouldBe(200, response.Body);
        var delivery = response.Json.GetProperty("deliveries").EnumerateArray().ShouldHaveSingleItem();
        delivery.GetProperty("endpointId").ValueKind.ShouldBe(JsonValueKind.Null);
        delivery.Str("url").ShouldBe(other.Url.ToString());
        var got = other.Requests.ShouldHaveSingleItem();
        got.Body.ShouldBe(registered.Requests.ShouldHaveSingleItem().Body);
        new HmacSha256HexSignatureScheme([endpoint.Secret]).Verify(got.Body.AsSpan(), new WebhookHeaders(got.Headers)).IsValid.ShouldBeTrue();
        sim.WebhookEndpoints.ShouldHaveSingleItem("the address is not registered");
    }

    [Fact]
    public async Task ResendEvent_ToAUrl_WithItsOwnSecretAndScheme_IsSignedWithThem()
    {
        await using var other = await WebhookReceiver.StartAsync();
        await using var sim = await SimulatorSession.StartAsync();
        string paymentId = await sim.CreateWeekLongPaymentAsync();
        string eventId = (await sim.EventsOfAsync(paymentId)).Single().Str("id")!;
        const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

        var delivery = sim.Simulator.ResendEvent(eventId, other.Url, Secret, "standard-webhooks");
        await sim.WhenWebhooksIdleAsync();

        delivery.EndpointId.ShouldBeNull();
        var got = other.Requests.ShouldHaveSingleItem();
        new StandardWebhooksSignatureScheme([Secret]).Verify(got.Body.AsSpan(), new WebhookHeaders(got.Headers)).IsValid.ShouldBeTrue();
        got.Text.ShouldBe(delivery.Body, "the body sent is the event's own, though no delivery of it was made before");
    }

    [Fact]
    public async Task Resend_ToAUrl_IsRetriedOnTheSchedule_LikeAnyDelivery()
    {
        await using var registered = await WebhookReceiver.StartAsync();
        await using var other = await WebhookReceiver.StartAsync();
        other.Answer = WebhookSetup.FirstThenOk(Results.StatusCode(500));
        await using var sim = await SimulatorSession.StartAsync();
        sim.AddWebhookEndpoint(registered.Url);
        string eventId = await CreatedEventAsync(sim);

        var delivery = sim.Simulator.ResendEvent(eventId, url: other.Url).ShouldHaveSingleItem();
        await sim.WhenWebhooksIdleAsync();
        await sim.AdvanceAndDeliverAsync(TimeSpan.FromSeconds(5));

        other.Requests.Count.ShouldBe(2);
        var after = sim.Deliveries.Single(d => d.Id == delivery.Id);
        after.Status.ShouldBe("succeeded");
        after.Attempts.Select(a => a.StatusCode).ShouldBe([500, 200]);
    }

    [Fact]
    public async Task Resend_ToADisabledEndpoint_Is409_AndSendsNothing()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sim = await WebhookSetup.StartWithOnePaymentDeliveredAsync(receiver, WebhookSetup.Always(410));
        var endpoint = sim.WebhookEndpoints.ShouldHaveSingleItem();
        endpoint.Enabled.ShouldBeFalse();

        var response = await sim.ControlPostAsync($"_sim/events/{sim.Deliveries.Single().EventId}/resend", $$"""{"endpointId":"{{endpoint.Id}}"}""");

        response.ShouldBeError(409, "endpoint_disabled");
        sim.Deliveries.Count.ShouldBe(1);
        receiver.Requests.Count.ShouldBe(1);
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
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sim = await SimulatorSession.StartAsync();
        sim.AddWebhookEndpoint(receiver.Url);
        eventId ??= await CreatedEventAsync(sim);

        var response = await sim.ControlPostAsync($"_sim/events/{eventId}/resend", body);

        response.ShouldBeError(status, code, param);
        sim.Deliveries.Count.ShouldBe(eventId == "evt_nope" ? 0 : 1, "nothing was queued");
    }

    [Fact]
    public async Task TheDeliveriesList_CarriesTheHeadersAndBodySent_AsTheReceiverGotThem()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sim = await SimulatorSession.StartAsync();
        sim.AddWebhookEndpoint(receiver.Url, "whsk_test_secret");
        string eventId = await CreatedEventAsync(sim);
        var got = receiver.Requests.Single();

        var list = await sim.ControlGetAsync($"_sim/deliveries?eventId={eventId}");

        var delivery = list.Json.GetProperty("data").EnumerateArray().ShouldHaveSingleItem();
        delivery.Str("body").ShouldBe(got.Text);
        var headers = delivery.GetProperty("attempts").EnumerateArray().ShouldHaveSingleItem().GetProperty("requestHeaders");
        foreach (string name in new[] { "content-type", "x-event-id", "x-delivery-id", "x-signature", "user-agent", "content-length" })
        {
            headers.Str(name).ShouldBe(got.Header(name), name);
        }

        var attempt = sim.Deliveries.Single().Attempts.Single();
        attempt.RequestHeaders["x-signature"].ShouldBe(got.Header("x-signature"));
        sim.Deliveries.Single().Url.ShouldBe(receiver.Url);
    }

    [Fact]
    public async Task AnAttemptsToString_NamesTheHeaders_ButPrintsNoSignature()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sim = await SimulatorSession.StartAsync();
        sim.AddWebhookEndpoint(receiver.Url, scheme: "standard-webhooks");
        await CreatedEventAsync(sim);
        var attempt = sim.Deliveries.Single().Attempts.Single();
        string signature = receiver.Requests.Single().Header("webhook-signature");

        string text = attempt.ToString();

        signature.ShouldNotBeNullOrEmpty();
        text.ShouldNotContain(signature);
        text.ShouldNotContain(signature.Split(',')[1]);
        text.ShouldContain("webhook-signature");
        text.ShouldContain($"DeliveryAttemptId = {attempt.DeliveryAttemptId}");
        text.ShouldContain("StatusCode = 200");
    }

    /// <summary>Creates a payment, waits for its <c>payment.created</c> to be delivered, and returns the event's id.</summary>
    private static async Task<string> CreatedEventAsync(SimulatorSession sim)
    {
        await sim.CreateWeekLongPaymentAsync();
        await sim.WhenWebhooksIdleAsync();
        return sim.Deliveries[0].EventId;
    }
}
