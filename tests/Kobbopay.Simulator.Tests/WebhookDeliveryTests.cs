using System.Text.Json;
using Kobbopay.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace Kobbopay.Simulator.Tests;

/// <summary>The simulator delivers signed events at least once, on the contract's schedule, on its virtual clock.</summary>
public sealed class WebhookDeliveryTests
{
    private static readonly TimeSpan[] Schedule =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10),
        TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(3), TimeSpan.FromHours(6),
    ];

    [Fact]
    public async Task EveryEvent_IsDeliveredSigned_ToTheEndpoint()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sim = await SimulatorSession.StartAsync();
        var endpoint = sim.AddWebhookEndpoint(receiver.Url, "whsk_test_secret");
        string id = await sim.CreateWeekLongPaymentAsync();
        sim.Pay(id);
        sim.Confirm(id);

        await sim.WhenWebhooksIdleAsync();

        var received = receiver.Requests;
        received.Select(r => Type(r)).Order().ShouldBe(["payment.confirmed", "payment.created", "payment.paid"]);
        var scheme = new HmacSha256HexSignatureScheme([endpoint.Secret]);
        foreach (var r in received)
        {
            r.Header("content-type").ShouldStartWith("application/json");
            r.Header("x-event-id").ShouldStartWith("evt_");
            r.Header("x-delivery-id").ShouldStartWith("dla_");
            scheme.Verify(r.Body.AsSpan(), new WebhookHeaders(r.Headers)).IsValid.ShouldBeTrue();
            JsonDocument.Parse(r.Body).RootElement.GetProperty("id").GetString().ShouldBe(r.Header("x-event-id"));
        }

        received.Select(r => r.Header("x-delivery-id")).Distinct().Count().ShouldBe(3);
        sim.Deliveries.ShouldAllBe(d => d.Status == "succeeded" && d.Attempts.Count == 1 && d.Attempts[0].StatusCode == 200);
    }

    [Fact]
    public async Task StandardWebhooksEndpoints_GetStandardWebhooksSignatures_TimestampedOnTheWallClock()
    {
        // The simulated clock starts days away from the wall clock; a receiver checks the timestamp against its wall clock.
        DateTimeOffset wall = Sim.Start.AddDays(9).AddMinutes(17);
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sim = await SimulatorSession.StartAsync(o => o.WallClock = new FakeTimeProvider(wall));
        var endpoint = sim.AddWebhookEndpoint(receiver.Url, scheme: "standard-webhooks");
        await sim.CreateWeekLongPaymentAsync();

        await sim.WhenWebhooksIdleAsync();

        var r = receiver.Requests.ShouldHaveSingleItem();
        endpoint.Secret.ShouldStartWith("whsec_");
        r.Header("webhook-id").ShouldBe(r.Header("x-event-id"));
        long.Parse(r.Header("webhook-timestamp"), System.Globalization.CultureInfo.InvariantCulture).ShouldBe(wall.ToUnixTimeSeconds());
        new StandardWebhooksSignatureScheme([endpoint.Secret], timeProvider: new FakeTimeProvider(wall)).Verify(r.Body.AsSpan(), new WebhookHeaders(r.Headers)).IsValid.ShouldBeTrue();
        JsonDocument.Parse(r.Body).RootElement.GetProperty("createdAt").GetDateTimeOffset().ShouldBe(Sim.Start, "the event keeps its simulated time");
    }

    [Fact]
    public async Task StandardWebhooksRetries_AfterAClockAdvance_StayWithinAReceiversTolerance()
    {
        DateTimeOffset wall = Sim.Start.AddDays(9);
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = WebhookSetup.FirstThenOk(Results.StatusCode(500));
        await using var sim = await SimulatorSession.StartAsync(o => o.WallClock = new FakeTimeProvider(wall));
        var endpoint = sim.AddWebhookEndpoint(receiver.Url, scheme: "standard-webhooks");
        await sim.CreateWeekLongPaymentAsync();
        await sim.WhenWebhooksIdleAsync();

        await sim.AdvanceAndDeliverAsync(TimeSpan.FromHours(1));

        receiver.Requests.Count.ShouldBe(2);
        var scheme = new StandardWebhooksSignatureScheme([endpoint.Secret], timeProvider: new FakeTimeProvider(wall));
        foreach (var r in receiver.Requests)
        {
            scheme.Verify(r.Body.AsSpan(), new WebhookHeaders(r.Headers)).IsValid.ShouldBeTrue("the retry after the advance is signed within the receiver's tolerance");
        }
    }

    [Fact]
    public async Task OneLongClockAdvance_RunsEveryAttemptDueInside_InOrder_AsIfTheTimeHadPassed()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sim = await WebhookSetup.StartWithOnePaymentDeliveredAsync(receiver, WebhookSetup.Always(500));

        await sim.AdvanceAndDeliverAsync(TimeSpan.FromHours(11));

        receiver.Requests.Count.ShouldBe(1 + Schedule.Length);
        var delivery = sim.Deliveries.ShouldHaveSingleItem();
        delivery.Status.ShouldBe("failed");
        delivery.Attempts.Select(a => a.Number).ShouldBe(Enumerable.Range(1, 1 + Schedule.Length));
        delivery.Attempts.Zip(delivery.Attempts.Skip(1), (a, b) => b.StartedAt - a.StartedAt).ShouldBe(Schedule);
    }

    [Fact]
    public async Task AFailingEndpoint_IsRetriedOnTheContractSchedule_ThenTheDeliveryFails()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sim = await WebhookSetup.StartWithOnePaymentDeliveredAsync(receiver, WebhookSetup.Always(500));

        foreach (TimeSpan delay in Schedule)
        {
            int before = receiver.Requests.Count;
            await sim.AdvanceAndDeliverAsync(delay - TimeSpan.FromSeconds(1));
            receiver.Requests.Count.ShouldBe(before, $"no attempt before the {delay} retry is due");
            await sim.AdvanceAndDeliverAsync(TimeSpan.FromSeconds(1));
            receiver.Requests.Count.ShouldBe(before + 1, $"the {delay} retry ran");
        }

        await sim.AdvanceAndDeliverAsync(TimeSpan.FromDays(2));
        var delivery = sim.Deliveries.ShouldHaveSingleItem();
        delivery.Status.ShouldBe("failed");
        delivery.Attempts.Count.ShouldBe(9);
        delivery.Attempts.ShouldAllBe(a => a.StatusCode == 500);
        var gaps = delivery.Attempts.Zip(delivery.Attempts.Skip(1), (a, b) => b.StartedAt - a.StartedAt).ToArray();
        gaps.ShouldBe(Schedule);
        delivery.Attempts.Select(a => a.Number).ShouldBe(Enumerable.Range(1, 9));
        receiver.Requests.Select(r => r.Header("x-delivery-id")).Distinct().Count().ShouldBe(9, "a new x-delivery-id per attempt");
        receiver.Requests.Select(r => r.Header("x-event-id")).Distinct().ShouldHaveSingleItem();
    }

    [Fact]
    public async Task RetryAfter_On429_SlowsTheScheduleDown()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sim = await WebhookSetup.StartWithOnePaymentDeliveredAsync(receiver, WebhookSetup.FirstThenOk(Results.Extensions.RetryAfter(120)));

        await sim.AdvanceAndDeliverAsync(TimeSpan.FromSeconds(119));
        receiver.Requests.Count.ShouldBe(1, "not at the schedule's 5 s: the endpoint asked for 120 s");
        await sim.AdvanceAndDeliverAsync(TimeSpan.FromSeconds(1));

        var delivery = sim.Deliveries.ShouldHaveSingleItem();
        delivery.Status.ShouldBe("succeeded");
        (delivery.Attempts[1].StartedAt - delivery.Attempts[0].StartedAt).ShouldBe(TimeSpan.FromSeconds(120));
    }

    [Fact]
    public async Task An410_DisablesTheEndpoint()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sim = await WebhookSetup.StartWithOnePaymentDeliveredAsync(receiver, WebhookSetup.Always(410));
        var endpoint = sim.WebhookEndpoints.ShouldHaveSingleItem();
        sim.Pay(sim.Deliveries.Single().PaymentId);
        await sim.AdvanceAndDeliverAsync(TimeSpan.FromHours(1));

        receiver.Requests.Count.ShouldBe(1);
        var state = sim.WebhookEndpoints.Single(e => e.Id == endpoint.Id);
        state.Enabled.ShouldBeFalse();
        state.DisabledReason.ShouldNotBeNull().ShouldContain("410");
        sim.Deliveries.ShouldHaveSingleItem().Status.ShouldBe("failed");
    }

    [Fact]
    public async Task AHangingEndpoint_DelaysNeitherOtherEndpointsNorLaterEvents()
    {
        await using var slow = await WebhookReceiver.StartAsync();
        await using var fast = await WebhookReceiver.StartAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        slow.Answer = async _ =>
        {
            await release.Task;
            return Results.Ok();
        };
        var fastGotAllThree = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int fastCalls = 0;
        fast.Answer = _ =>
        {
            if (Interlocked.Increment(ref fastCalls) == 3)
            {
                fastGotAllThree.SetResult();
            }

            return Task.FromResult(Results.Ok());
        };
        // The slow endpoint hangs for the whole test: its attempts do not time out while the fast one is served.
        await using var sim = await SimulatorSession.StartAsync(o => o.WebhookAttemptTimeout = TimeSpan.FromMinutes(5));
        var slowEndpoint = sim.AddWebhookEndpoint(slow.Url);
        var fastEndpoint = sim.AddWebhookEndpoint(fast.Url);

        string id = await sim.CreateWeekLongPaymentAsync();
        sim.Pay(id);
        sim.Confirm(id);
        // Awaited, not polled; the bound only turns a hang into a failure.
        await fastGotAllThree.Task.WaitAsync(TimeSpan.FromSeconds(30), Sim.Ct);

        fast.Requests.Select(Type).ShouldBe(["payment.created", "payment.paid", "payment.confirmed"], ignoreOrder: true);
        sim.Deliveries.Where(d => d.EndpointId == slowEndpoint.Id).ShouldAllBe(d => d.Status == "pending", "the slow endpoint's deliveries are still running");
        sim.Deliveries.Count(d => d.EndpointId == slowEndpoint.Id).ShouldBe(3);
        release.SetResult();
        await sim.WhenWebhooksIdleAsync();
        sim.Deliveries.ShouldAllBe(d => d.Status == "succeeded");
        sim.Deliveries.Where(d => d.EndpointId == fastEndpoint.Id).ShouldAllBe(d => d.Attempts.Count == 1, "the fast endpoint was served at the first attempt");
    }

    [Fact]
    public async Task AnAttemptWithoutAnswerWithinTheTimeout_IsRetried()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int calls = 0;
        receiver.Answer = async _ =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                await release.Task;
            }

            return Results.Ok();
        };
        await using var sim = await SimulatorSession.StartAsync(o => o.WebhookAttemptTimeout = TimeSpan.FromMilliseconds(200));
        sim.AddWebhookEndpoint(receiver.Url);
        await sim.CreateWeekLongPaymentAsync();
        await sim.WhenWebhooksIdleAsync();
        release.SetResult();
        await sim.AdvanceAndDeliverAsync(TimeSpan.FromSeconds(5));

        var delivery = sim.Deliveries.ShouldHaveSingleItem();
        delivery.Attempts[0].Error.ShouldNotBeNull().ShouldContain("no answer within 0.2 s");
        delivery.Attempts[1].StatusCode.ShouldBe(200);
        delivery.Status.ShouldBe("succeeded");
    }

    [Fact]
    public async Task Redeliver_SendsTheEventAgain()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sim = await WebhookSetup.StartWithOnePaymentDeliveredAsync(receiver, WebhookSetup.Always(200));

        var deliveryId = sim.Deliveries.Single().Id;
        var response = await sim.ControlPostAsync($"_sim/deliveries/{deliveryId}/redeliver");
        await sim.WhenWebhooksIdleAsync();

        response.Status.ShouldBe(200, response.Body);
        receiver.Requests.Count.ShouldBe(2);
        receiver.Requests.Select(r => r.Header("x-event-id")).Distinct().ShouldHaveSingleItem();
        sim.Deliveries.Single().Attempts.Count.ShouldBe(2);
    }

    [Fact]
    public async Task ControlApi_RegistersListsAndRemovesEndpoints()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sim = await SimulatorSession.StartAsync();

        var created = await sim.ControlPostAsync("_sim/webhook-endpoints", $$"""{"url":"{{receiver.Url}}","secret":"s3cret"}""");
        var bad = await sim.ControlPostAsync("_sim/webhook-endpoints", """{"url":"ftp://x"}""");
        await sim.CreateWeekLongPaymentAsync();
        await sim.WhenWebhooksIdleAsync();
        var list = await sim.ControlGetAsync("_sim/webhook-endpoints");
        var deliveries = await sim.ControlGetAsync("_sim/deliveries");
        var removed = await sim.ControlDeleteAsync($"_sim/webhook-endpoints/{created.Json.Str("id")}");

        created.Status.ShouldBe(201, created.Body);
        created.Json.Str("secret").ShouldBe("s3cret");
        bad.Status.ShouldBe(400, bad.Body);
        list.Body.ShouldContain("s3cret");
        deliveries.Json.Items("data").Count.ShouldBe(1);
        removed.Status.ShouldBe(204, removed.Body);
        sim.WebhookEndpoints.ShouldBeEmpty();
    }

    [Fact]
    public async Task DroppedFirstAttempts_AreRetried_AndDuplicatesArriveTwice()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sim = await SimulatorSession.StartAsync();
        sim.AddWebhookEndpoint(receiver.Url);
        sim.WebhookFaults = new SimulatorWebhookFaultOptions { Seed = 1, DropFirstAttemptRate = 1 };
        await sim.CreateWeekLongPaymentAsync();
        await sim.WhenWebhooksIdleAsync();
        receiver.Requests.ShouldBeEmpty("the first attempt was dropped");
        await sim.AdvanceAndDeliverAsync(TimeSpan.FromSeconds(5));
        receiver.Requests.Count.ShouldBe(1);
        sim.Deliveries.Single().Attempts.Select(a => a.Fault).ShouldBe(["dropped", null]);

        sim.WebhookFaults = new SimulatorWebhookFaultOptions { Seed = 1, DuplicateRate = 1 };
        await sim.CreateWeekLongPaymentAsync();
        await sim.WhenWebhooksIdleAsync();
        var copies = receiver.Requests.Skip(1).ToList();
        copies.Count.ShouldBe(2);
        copies.Select(r => r.Header("x-event-id")).Distinct().ShouldHaveSingleItem();
        copies.Select(r => r.Header("x-delivery-id")).Distinct().Count().ShouldBe(2);
    }

    [Fact]
    public async Task TheChain_PaysAndConfirmsByItself_OnTheClock()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sim = await SimulatorSession.StartAsync(
            o => o.Chain = new SimulatorChainOptions { PayAfter = TimeSpan.FromMinutes(2), AutoConfirm = true, BlockInterval = TimeSpan.FromSeconds(10) });
        sim.AddWebhookEndpoint(receiver.Url);
        string id = await sim.CreateWeekLongPaymentAsync();

        sim.Clock.Advance(TimeSpan.FromMinutes(2));
        sim.GetPayment(id).Status.ShouldBe("paid");
        sim.Clock.Advance(TimeSpan.FromSeconds(119));
        sim.GetPayment(id).Status.ShouldBe("paid", "12 blocks of 10 s are 120 s");
        await sim.AdvanceAndDeliverAsync(TimeSpan.FromSeconds(1));

        var p = sim.GetPayment(id);
        p.Status.ShouldBe("confirmed");
        p.Confirmations.ShouldBe(12);
        receiver.Requests.Select(Type).ShouldBe(["payment.created", "payment.paid", "payment.confirmed"], ignoreOrder: true);
    }

    private static string Type(WebhookReceiver.Received r) => JsonDocument.Parse(r.Body).RootElement.GetProperty("type").GetString()!;
}

internal static class RetryAfterResults
{
    public static IResult RetryAfter(this IResultExtensions _, int seconds) => new RetryAfterResult(seconds);

    private sealed class RetryAfterResult(int seconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = 429;
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        }
    }
}
