using System.Text.Json;
using Kobbopay.Simulator.Tests.TestSupport;
using Kobbopay.TestUtilities;

namespace Kobbopay.Simulator.Tests;

public sealed class ListPaymentsTests
{
    [Fact]
    public async Task List_Empty_ReturnsNoDataAndNullCursor()
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateClient();

        var response = await client.GetApiAsync("v1/payments", Sim.Ct);

        response.Status.ShouldBe(200, response.Body);
        response.ShouldHaveRequestId();
        response.Json.Items("data").ShouldBeEmpty();
        response.Json.Prop("nextCursor").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task List_ReturnsNewestFirst()
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateClient();
        var ids = await CreateManyAsync(client, 5);

        var page = await client.GetApiAsync("v1/payments", Sim.Ct);

        Ids(page).ShouldBe(ids.AsEnumerable().Reverse());
    }

    [Fact]
    public async Task List_NewestFirst_AlsoWithinTheSameInstant()
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateClient();
        List<string> ids = [];
        for (var i = 0; i < 6; i++)
        {
            ids.Add((await Payments.CreateAsync(client)).Str("id")!);
            if (i % 2 == 1)
            {
                sim.Clock.Advance(TimeSpan.FromSeconds(1));
            }
        }

        var page = await client.GetApiAsync("v1/payments", Sim.Ct);

        Ids(page).ShouldBe(ids.AsEnumerable().Reverse());
        var created = page.Json.Items("data").Select(p => p.Time("createdAt")!.Value).ToList();
        created.ShouldBe(created.OrderByDescending(t => t));
    }

    [Fact]
    public async Task List_DefaultLimit_Is20()
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateClient();
        var ids = await CreateManyAsync(client, 25);

        var page = await client.GetApiAsync("v1/payments", Sim.Ct);

        Ids(page).ShouldBe(ids.AsEnumerable().Reverse().Take(20));
        page.Json.Str("nextCursor").ShouldNotBeNullOrEmpty();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(100)]
    public async Task List_LimitWithinBounds_IsHonoured(int limit)
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateClient();
        await CreateManyAsync(client, 8);

        var page = await client.GetApiAsync($"v1/payments?limit={limit}", Sim.Ct);

        page.Status.ShouldBe(200, page.Body);
        Ids(page).Count.ShouldBe(Math.Min(limit, 8));
        (page.Json.Str("nextCursor") is null).ShouldBe(limit >= 8);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("1.5")]
    public async Task List_LimitOutOfBounds_Returns400WithParamLimit(string limit)
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateClient();

        var response = await client.GetApiAsync($"v1/payments?limit={Uri.EscapeDataString(limit)}", Sim.Ct);

        response.ShouldBeError(400, "invalid_request", "limit");
    }

    [Fact]
    public async Task List_CursorPaging_WalksEveryPaymentOnceNewestFirst()
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateClient();
        var ids = await CreateManyAsync(client, 25);

        var first = await client.GetApiAsync("v1/payments?limit=10", Sim.Ct);
        var second = await client.GetApiAsync($"v1/payments?limit=10&cursor={Cursor(first)}", Sim.Ct);
        var third = await client.GetApiAsync($"v1/payments?limit=10&cursor={Cursor(second)}", Sim.Ct);

        Ids(first).Count.ShouldBe(10);
        Ids(second).Count.ShouldBe(10);
        Ids(third).Count.ShouldBe(5);
        third.Json.Prop("nextCursor").ValueKind.ShouldBe(JsonValueKind.Null);
        Ids(first).Concat(Ids(second)).Concat(Ids(third)).ShouldBe(ids.AsEnumerable().Reverse());
    }

    [Fact]
    public async Task List_ExactlyOneFullPage_EndsCleanly()
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateClient();
        await CreateManyAsync(client, 10);

        var first = await client.GetApiAsync("v1/payments?limit=10", Sim.Ct);
        Ids(first).Count.ShouldBe(10);
        var cursor = first.Json.Str("nextCursor");
        if (cursor is not null)
        {
            var next = await client.GetApiAsync($"v1/payments?limit=10&cursor={Uri.EscapeDataString(cursor)}", Sim.Ct);
            next.Status.ShouldBe(200, next.Body);
            Ids(next).ShouldBeEmpty();
            next.Json.Prop("nextCursor").ValueKind.ShouldBe(JsonValueKind.Null);
        }
    }

    [Fact]
    public async Task List_FilterByOrderId_ReturnsOnlyThatOrder()
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateClient();
        List<string> orderA = [];
        for (var i = 0; i < 3; i++)
        {
            orderA.Add((await Payments.CreateAsync(client, Payments.Body(orderId: "order-A"))).Str("id")!);
            await Payments.CreateAsync(client, Payments.Body(orderId: "order-B"));
        }

        var page = await client.GetApiAsync("v1/payments?orderId=order-A", Sim.Ct);
        var none = await client.GetApiAsync("v1/payments?orderId=order-C", Sim.Ct);

        Ids(page).ShouldBe(orderA.AsEnumerable().Reverse());
        Ids(none).ShouldBeEmpty();
    }

    [Fact]
    public async Task List_FilterByStatus_ReturnsOnlyThatStatus()
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateClient();
        var ids = await CreateManyAsync(client, 4);
        sim.Pay(ids[1]);
        sim.Pay(ids[3]);
        sim.Confirm(ids[3]);
        sim.Expire(ids[0]);

        (await ListIdsAsync(client, "status=pending")).ShouldBe([ids[2]]);
        (await ListIdsAsync(client, "status=paid")).ShouldBe([ids[1]]);
        (await ListIdsAsync(client, "status=confirmed")).ShouldBe([ids[3]]);
        (await ListIdsAsync(client, "status=expired")).ShouldBe([ids[0]]);
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("PENDING_X")]
    public async Task List_UnknownStatus_Returns400WithParamStatus(string status)
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateClient();

        var response = await client.GetApiAsync($"v1/payments?status={status}", Sim.Ct);

        response.ShouldBeError(400, "invalid_request", "status");
    }

    [Fact]
    public async Task List_CreatedFromAndCreatedTo_AreInclusive()
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateClient();
        var p0 = (await Payments.CreateAsync(client)).Str("id")!;
        sim.Clock.Advance(TimeSpan.FromHours(1));
        var p1 = (await Payments.CreateAsync(client)).Str("id")!;
        sim.Clock.Advance(TimeSpan.FromHours(1));
        var p2 = (await Payments.CreateAsync(client)).Str("id")!;
        var t1 = Sim.Start.AddHours(1).ToQueryTimestamp();

        (await ListIdsAsync(client, $"createdFrom={t1}")).ShouldBe([p2, p1]);
        (await ListIdsAsync(client, $"createdTo={t1}")).ShouldBe([p1, p0]);
        (await ListIdsAsync(client, $"createdFrom={t1}&createdTo={t1}")).ShouldBe([p1]);
        (await ListIdsAsync(client, $"createdFrom={Sim.Start.AddHours(3).ToQueryTimestamp()}")).ShouldBeEmpty();
    }

    [Fact]
    public async Task List_CreatedFromWithOffset_IsUnderstood()
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateClient();
        await Payments.CreateAsync(client);
        sim.Clock.Advance(TimeSpan.FromHours(2));
        var later = (await Payments.CreateAsync(client)).Str("id")!;

        // 12:00+02:00 is 10:00Z, so both match; 13:00+02:00 is 11:00Z, so only the later one.
        (await ListIdsAsync(client, "createdFrom=" + Uri.EscapeDataString("2026-11-21T13:00:00+02:00"))).ShouldBe([later]);
        (await ListIdsAsync(client, "createdFrom=" + Uri.EscapeDataString("2026-11-21T12:00:00+02:00"))).Count.ShouldBe(2);
    }

    [Theory]
    [InlineData("createdFrom", "yesterday")]
    [InlineData("createdFrom", "2026-13-01T00:00:00Z")]
    [InlineData("createdFrom", "1700000000")]
    [InlineData("createdTo", "21/11/2026")]
    public async Task List_BadTimestamp_Returns400WithThatParam(string param, string value)
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateClient();

        var response = await client.GetApiAsync($"v1/payments?{param}={Uri.EscapeDataString(value)}", Sim.Ct);

        response.ShouldBeError(400, "invalid_request", param);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("eyJub3QiOiJhIGN1cnNvciJ9")]
    [InlineData("%00%01")]
    public async Task List_MalformedCursor_Returns400WithParamCursor(string cursor)
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateClient();

        var response = await client.GetApiAsync($"v1/payments?cursor={cursor}", Sim.Ct);

        response.ShouldBeError(400, "invalid_request", "cursor");
    }

    [Theory]
    [InlineData("orderId=order-B")]
    [InlineData("")]
    [InlineData("orderId=order-A&status=paid")]
    public async Task List_CursorUsedWithOtherFilters_Returns400WithParamCursor(string otherFilters)
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            await Payments.CreateAsync(client, Payments.Body(orderId: "order-A"));
            await Payments.CreateAsync(client, Payments.Body(orderId: "order-B"));
        }

        var first = await client.GetApiAsync("v1/payments?orderId=order-A&limit=1", Sim.Ct);
        var cursor = Cursor(first);
        var sameFilters = await client.GetApiAsync($"v1/payments?orderId=order-A&limit=1&cursor={cursor}", Sim.Ct);
        var query = otherFilters.Length == 0 ? "" : otherFilters + "&";
        var otherFiltersResponse = await client.GetApiAsync($"v1/payments?{query}limit=1&cursor={cursor}", Sim.Ct);

        sameFilters.Status.ShouldBe(200, sameFilters.Body);
        otherFiltersResponse.ShouldBeError(400, "invalid_request", "cursor");
    }

    [Fact]
    public async Task List_DifferentLimitWithTheSameCursor_IsAllowed()
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.CreateClient();
        var ids = await CreateManyAsync(client, 6);

        var first = await client.GetApiAsync("v1/payments?limit=2", Sim.Ct);
        var rest = await client.GetApiAsync($"v1/payments?limit=10&cursor={Cursor(first)}", Sim.Ct);

        rest.Status.ShouldBe(200, rest.Body);
        Ids(first).Concat(Ids(rest)).ShouldBe(ids.AsEnumerable().Reverse());
    }

    private static async Task<List<string>> CreateManyAsync(HttpClient client, int count)
    {
        List<string> ids = [];
        for (var i = 0; i < count; i++)
        {
            ids.Add((await Payments.CreateAsync(client)).Str("id")!);
        }

        return ids;
    }

    private static async Task<List<string>> ListIdsAsync(HttpClient client, string query)
    {
        var response = await client.GetApiAsync($"v1/payments?limit=100&{query}", Sim.Ct);
        response.Status.ShouldBe(200, response.Body);
        return Ids(response);
    }

    private static List<string> Ids(ApiResponse page) => [.. page.Json.Items("data").Select(p => p.Str("id")!)];

    private static string Cursor(ApiResponse page)
    {
        page.Status.ShouldBe(200, page.Body);
        var cursor = page.Json.Str("nextCursor");
        cursor.ShouldNotBeNullOrEmpty(page.Body);
        return Uri.EscapeDataString(cursor);
    }
}
