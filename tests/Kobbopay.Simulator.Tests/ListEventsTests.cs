using System.Text.Json;
using Kobbopay.Simulator.Tests.TestSupport;
using Kobbopay.TestUtilities;

namespace Kobbopay.Simulator.Tests;

public sealed class ListEventsTests
{
    [Fact]
    public async Task Events_Empty_ReturnsNoDataAndNullCursor()
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateClient();

        var response = await client.GetApiAsync("v1/events", Sim.Ct);

        response.Status.ShouldBe(200, response.Body);
        response.ShouldHaveRequestId();
        response.Json.Items("data").ShouldBeEmpty();
        response.Json.Prop("nextCursor").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task Events_CreatedEvent_HasTheContractShape()
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateClient();
        var payment = await Payments.PostAsync(client, Payments.Body());
        var id = payment.Json.Str("id")!;

        var response = await client.GetApiAsync("v1/events", Sim.Ct);

        var evt = response.Json.Items("data").ShouldHaveSingleItem();
        evt.Str("id")!.ShouldStartWith("evt_");
        evt.Str("type").ShouldBe("payment.created");
        evt.Time("createdAt").ShouldBe(Sim.Start);
        evt.Str("paymentId").ShouldBe(id);
        evt.Int("sequence").ShouldBe(1);
        if (evt.TryGetProperty("previousStatus", out var previous))
        {
            previous.ValueKind.ShouldBe(JsonValueKind.Null);
        }
        var snapshot = evt.Prop("data").Prop("payment");
        snapshot.Str("id").ShouldBe(id);
        snapshot.Str("status").ShouldBe("pending");
        snapshot.Str("amount").ShouldBe("10.50");
    }

    [Fact]
    public async Task Events_AsListed_AreByteForByteTheWebhookBodiesSentWhenTheyHappened()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var options = Sim.Options();
        options.AllowPaidToExpire = true;
        await using var sim = await KobbopaySimulator.StartAsync(options, Sim.Ct);
        sim.AddWebhookEndpoint(receiver.Url, "whsk_test_secret");
        using var client = sim.CreateClient();
        var confirmed = (await Payments.CreateAsync(client, Payments.Body(amount: "10.50", metadata: new Dictionary<string, string> { ["z"] = "last", ["a"] = "first" }))).Str("id")!;
        var late = (await Payments.CreateAsync(client, Payments.Body(amount: "5"))).Str("id")!;
        var paidThenExpired = (await Payments.CreateAsync(client, Payments.Body(amount: "7.25"))).Str("id")!;
        var expiredByClock = (await Payments.CreateAsync(client, Payments.Body(expiresInSeconds: 60))).Str("id")!;
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
        await sim.WhenWebhooksIdleAsync(Sim.Ct);

        List<JsonElement> listed = [];
        string? cursor = null;
        do
        {
            var page = await client.GetApiAsync("v1/events?limit=7" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)), Sim.Ct);
            page.Status.ShouldBe(200, page.Body);
            listed.AddRange(page.Json.Items("data"));
            cursor = page.Json.Str("nextCursor");
        }
        while (cursor is not null);

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
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateClient();
        var a = (await Payments.CreateAsync(client)).Str("id")!;
        var b = (await Payments.CreateAsync(client)).Str("id")!;
        sim.Clock.Advance(TimeSpan.FromMinutes(1));
        sim.Pay(a);
        sim.Pay(b);
        sim.Confirm(a);

        var response = await client.GetApiAsync("v1/events", Sim.Ct);

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
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateClient();
        var a = (await Payments.CreateAsync(client)).Str("id")!;
        var b = (await Payments.CreateAsync(client)).Str("id")!;
        await Payments.CreateAsync(client);
        sim.Pay(b);
        sim.Pay(a);

        var paid = await client.GetApiAsync("v1/events?type=payment.paid", Sim.Ct);
        var created = await client.GetApiAsync("v1/events?type=payment.created", Sim.Ct);
        var confirmed = await client.GetApiAsync("v1/events?type=payment.confirmed", Sim.Ct);

        paid.Json.Items("data").Select(e => e.Str("paymentId")).ShouldBe([b, a]);
        paid.Json.Items("data").ShouldAllBe(e => e.Str("type") == "payment.paid");
        created.Json.Items("data").Count.ShouldBe(3);
        confirmed.Json.Items("data").ShouldBeEmpty();
    }

    [Fact]
    public async Task Events_CreatedFrom_IsInclusive()
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateClient();
        var a = (await Payments.CreateAsync(client, Payments.Body(expiresInSeconds: 86400))).Str("id")!;
        sim.Clock.Advance(TimeSpan.FromHours(1));
        sim.Pay(a);
        var b = (await Payments.CreateAsync(client, Payments.Body(expiresInSeconds: 86400))).Str("id")!;
        sim.Clock.Advance(TimeSpan.FromHours(1));
        sim.Confirm(a);

        var fromHourOne = await client.GetApiAsync($"v1/events?createdFrom={Sim.Start.AddHours(1).ToQueryTimestamp()}", Sim.Ct);
        var fromLater = await client.GetApiAsync($"v1/events?createdFrom={Sim.Start.AddHours(1).AddSeconds(1).ToQueryTimestamp()}", Sim.Ct);

        fromHourOne.Json.Items("data").Select(e => (e.Str("paymentId"), e.Str("type"))).ShouldBe(
            [(a, "payment.paid"), (b, "payment.created"), (a, "payment.confirmed")]);
        fromLater.Json.Items("data").Select(e => e.Str("type")).ShouldBe(["payment.confirmed"]);
    }

    [Fact]
    public async Task Events_TypeAndCreatedFromTogether_AreBothApplied()
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateClient();
        await Payments.CreateAsync(client);
        sim.Clock.Advance(TimeSpan.FromHours(1));
        var b = (await Payments.CreateAsync(client)).Str("id")!;
        sim.Pay(b);

        var response = await client.GetApiAsync($"v1/events?type=payment.created&createdFrom={Sim.Start.AddHours(1).ToQueryTimestamp()}", Sim.Ct);

        response.Json.Items("data").Select(e => (e.Str("paymentId"), e.Str("type"))).ShouldBe([(b, "payment.created")]);
    }

    [Fact]
    public async Task Events_CursorPaging_WalksEveryEventOnceOldestFirst()
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateClient();
        for (var i = 0; i < 9; i++)
        {
            var id = (await Payments.CreateAsync(client)).Str("id")!;
            if (i % 3 == 0)
            {
                sim.Pay(id);
            }
        }

        var all = await client.GetApiAsync("v1/events?limit=100", Sim.Ct);
        var allIds = all.Json.Items("data").Select(e => e.Str("id")!).ToList();
        allIds.Count.ShouldBe(12);
        List<string> paged = [];
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await client.GetApiAsync("v1/events?limit=5" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)), Sim.Ct);
            page.Status.ShouldBe(200, page.Body);
            page.Json.Items("data").Count.ShouldBeLessThanOrEqualTo(5);
            paged.AddRange(page.Json.Items("data").Select(e => e.Str("id")!));
            cursor = page.Json.Str("nextCursor");
            pages++;
        }
        while (cursor is not null && pages < 10);

        paged.ShouldBe(allIds);
        pages.ShouldBeInRange(3, 4);
    }

    [Fact]
    public async Task Events_DefaultLimit_Is20()
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateClient();
        for (var i = 0; i < 22; i++)
        {
            await Payments.CreateAsync(client);
        }

        var response = await client.GetApiAsync("v1/events", Sim.Ct);

        response.Json.Items("data").Count.ShouldBe(20);
        response.Json.Str("nextCursor").ShouldNotBeNullOrEmpty();
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=x", "limit")]
    [InlineData("cursor=garbage", "cursor")]
    [InlineData("createdFrom=not-a-time", "createdFrom")]
    public async Task Events_BadQuery_Returns400WithThatParam(string query, string param)
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateClient();

        var response = await client.GetApiAsync($"v1/events?{query}", Sim.Ct);

        response.ShouldBeError(400, "invalid_request", param);
    }

    [Fact]
    public async Task Events_CursorUsedWithAnotherType_Returns400WithParamCursor()
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            sim.Pay((await Payments.CreateAsync(client)).Str("id")!);
        }

        var first = await client.GetApiAsync("v1/events?type=payment.created&limit=1", Sim.Ct);
        var cursor = Uri.EscapeDataString(first.Json.Str("nextCursor")!);
        var same = await client.GetApiAsync($"v1/events?type=payment.created&limit=1&cursor={cursor}", Sim.Ct);
        var other = await client.GetApiAsync($"v1/events?type=payment.paid&limit=1&cursor={cursor}", Sim.Ct);

        same.Status.ShouldBe(200, same.Body);
        other.ShouldBeError(400, "invalid_request", "cursor");
    }
}
