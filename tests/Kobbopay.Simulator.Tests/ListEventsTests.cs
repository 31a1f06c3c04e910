using System.Text.Json;

namespace Kobbopay.Simulator.Tests;

public sealed class ListEventsTests
{
    [Fact]
    public async Task Events_CreatedEvent_HasTheContractShape()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var payment = await sim.PostPaymentAsync(Payments.Body());
        var id = payment.Json.Str("id")!;

        var response = await sim.GetAsync("v1/events");

        var evt = response.Json.Items("data").ShouldHaveSingleItem();
        evt.Str("id")!.ShouldStartWith("evt_");
        evt.Str("type").ShouldBe("payment.created");
        evt.Time("createdAt").ShouldBe(Sim.Start);
        evt.Str("paymentId").ShouldBe(id);
        evt.Int("sequence").ShouldBe(1);
        evt.Prop("previousStatus").ValueKind.ShouldBe(JsonValueKind.Null, "a created event has no previous status, and says so");
        var snapshot = evt.Prop("data").Prop("payment");
        snapshot.Str("id").ShouldBe(id);
        snapshot.Str("status").ShouldBe("pending");
        snapshot.Str("amount").ShouldBe("10.50");
    }

    [Fact]
    public async Task Events_AsListed_AreByteForByteTheWebhookBodiesSentWhenTheyHappened()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sim = await SimulatorSession.StartAsync(o => o.AllowPaidToExpire = true);
        sim.AddWebhookEndpoint(receiver.Url, "whsk_test_secret");
        var confirmed = await sim.CreatePaymentAsync(Payments.Body(amount: "10.50", metadata: new Dictionary<string, string> { ["z"] = "last", ["a"] = "first" }));
        var late = await sim.CreatePaymentAsync(Payments.Body(amount: "5"));
        var paidThenExpired = await sim.CreatePaymentAsync(Payments.Body(amount: "7.25"));
        var expiredByClock = await sim.CreatePaymentAsync(Payments.Body(expiresInSeconds: 60));
        sim.Clock.Advance(TimeSpan.FromMinutes(1));
        sim.Pay(confirmed, 3m, "0xpartial");
        sim.Expire(late);
        sim.Pay(paidThenExpired, txHash: "0xfull");
        sim.Clock.Advance(TimeSpan.FromMinutes(1));
        sim.Pay(confirmed);
        sim.Pay(late, 1m);
        sim.Expire(paidThenExpired);
        sim.Clock.Advance(TimeSpan.FromMinutes(1));
        sim.Pay(confirmed, 0.5m);
        sim.Pay(late, 2m, "0xlate");
        sim.Pay(paidThenExpired, 1m);
        sim.Clock.Advance(TimeSpan.FromMinutes(1));
        sim.Confirm(confirmed, 30);
        sim.Clock.Advance(TimeSpan.FromMinutes(1));
        sim.Pay(confirmed, 2m);
        await sim.WhenWebhooksIdleAsync();

        var (listed, _) = await Pages.ReadAllAsync(sim.Api, "v1/events", limit: 7);

        listed.Select(e => e.Str("type")).Count(t => t == "payment.updated").ShouldBe(3);
        listed.Select(e => e.Str("type")).Count(t => t == "payment.late_payment").ShouldBe(3);
        listed.Select(e => e.Str("type")).Count(t => t == "payment.expired").ShouldBe(3);
        listed.ShouldContain(e => e.Str("paymentId") == expiredByClock && e.Str("type") == "payment.expired");
        var sent = receiver.Requests.ToDictionary(r => r.Header("x-event-id"), r => System.Text.Encoding.UTF8.GetString(r.Body));
        sent.Count.ShouldBe(listed.Count);
        foreach (var evt in listed)
        {
            evt.GetRawText().ShouldBe(sent[evt.Str("id")!], $"{evt.Str("type")} #{evt.Int("sequence")} of {evt.Str("paymentId")}");
        }
    }

    [Fact]
    public async Task Events_AreOldestFirst()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var a = await sim.CreatePaymentAsync();
        var b = await sim.CreatePaymentAsync();
        sim.Clock.Advance(TimeSpan.FromMinutes(1));
        sim.Pay(a);
        sim.Pay(b);
        sim.Confirm(a);

        var response = await sim.GetAsync("v1/events");

        var events = response.Json.Items("data");
        events.Select(e => (e.Str("paymentId"), e.Str("type"))).ShouldBe(
        [
            (a, "payment.created"),
            (b, "payment.created"),
            (a, "payment.paid"),
            (b, "payment.paid"),
            (a, "payment.confirmed"),
        ]);
        var times = events.Select(e => e.Time("createdAt")!.Value).ToList();
        times.ShouldBe(times.OrderBy(t => t));
        events.Select(e => e.Str("id")).Distinct().Count().ShouldBe(5);
    }

    [Fact]
    public async Task Events_FilterByType_ReturnsOnlyThatType()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var a = await sim.CreatePaymentAsync();
        var b = await sim.CreatePaymentAsync();
        await sim.CreatePaymentJsonAsync();
        sim.Pay(b);
        sim.Pay(a);

        var paid = await sim.GetAsync("v1/events?type=payment.paid");
        var created = await sim.GetAsync("v1/events?type=payment.created");
        var confirmed = await sim.GetAsync("v1/events?type=payment.confirmed");

        paid.Json.Items("data").Select(e => e.Str("paymentId")).ShouldBe([b, a]);
        paid.Json.Items("data").ShouldAllBe(e => e.Str("type") == "payment.paid");
        created.Json.Items("data").Count.ShouldBe(3);
        confirmed.Json.Items("data").ShouldBeEmpty();
    }

    [Fact]
    public async Task Events_CreatedFrom_IsInclusive()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var a = await sim.CreatePaymentAsync(Payments.Body(expiresInSeconds: 86400));
        sim.Clock.Advance(TimeSpan.FromHours(1));
        sim.Pay(a);
        var b = await sim.CreatePaymentAsync(Payments.Body(expiresInSeconds: 86400));
        sim.Clock.Advance(TimeSpan.FromHours(1));
        sim.Confirm(a);

        var fromHourOne = await sim.GetAsync($"v1/events?createdFrom={Sim.Start.AddHours(1).ToQueryTimestamp()}");
        var fromLater = await sim.GetAsync($"v1/events?createdFrom={Sim.Start.AddHours(1).AddSeconds(1).ToQueryTimestamp()}");

        fromHourOne.Json.Items("data").Select(e => (e.Str("paymentId"), e.Str("type"))).ShouldBe(
            [(a, "payment.paid"), (b, "payment.created"), (a, "payment.confirmed")]);
        fromLater.Json.Items("data").Select(e => e.Str("type")).ShouldBe(["payment.confirmed"]);
    }

    [Fact]
    public async Task Events_TypeAndCreatedFromTogether_AreBothApplied()
    {
        await using var sim = await SimulatorSession.StartAsync();
        await sim.CreatePaymentJsonAsync();
        sim.Clock.Advance(TimeSpan.FromHours(1));
        var b = await sim.CreatePaymentAsync();
        sim.Pay(b);

        var response = await sim.GetAsync($"v1/events?type=payment.created&createdFrom={Sim.Start.AddHours(1).ToQueryTimestamp()}");

        response.Json.Items("data").Select(e => (e.Str("paymentId"), e.Str("type"))).ShouldBe([(b, "payment.created")]);
    }

    [Fact]
    public async Task Events_CursorPaging_WalksEveryEventOnceOldestFirst()
    {
        await using var sim = await SimulatorSession.StartAsync();
        for (var i = 0; i < 9; i++)
        {
            var id = await sim.CreatePaymentAsync();
            if (i % 3 == 0)
            {
                sim.Pay(id);
            }
        }

        var all = await sim.GetAsync("v1/events?limit=100");
        var allIds = all.Json.Items("data").Select(e => e.Str("id")!).ToList();
        allIds.Count.ShouldBe(12);
        var (paged, pages) = await Pages.ReadAllAsync(sim.Api, "v1/events", limit: 5);

        paged.Select(e => e.Str("id")!).ShouldBe(allIds);
        pages.ShouldBeInRange(3, 4);
    }

    [Fact]
    public async Task Events_DefaultLimit_Is20()
    {
        await using var sim = await SimulatorSession.StartAsync();
        await sim.CreatePaymentsAsync(22);

        var response = await sim.GetAsync("v1/events");

        response.Json.Items("data").Count.ShouldBe(20);
        response.Json.Str("nextCursor").ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task Events_CursorUsedWithAnotherType_Returns400WithParamCursor()
    {
        await using var sim = await SimulatorSession.StartAsync();
        for (var i = 0; i < 3; i++)
        {
            sim.Pay(await sim.CreatePaymentAsync());
        }

        var first = await sim.GetAsync("v1/events?type=payment.created&limit=1");
        var cursor = Uri.EscapeDataString(first.Json.Str("nextCursor")!);
        var same = await sim.GetAsync($"v1/events?type=payment.created&limit=1&cursor={cursor}");
        var other = await sim.GetAsync($"v1/events?type=payment.paid&limit=1&cursor={cursor}");

        same.Status.ShouldBe(200, same.Body);
        other.ShouldBeError(400, "invalid_request", "cursor");
    }
}
