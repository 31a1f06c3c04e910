namespace Kobbopay.Simulator.Tests;

public sealed class ListPaymentsTests
{
    [Fact]
    public async Task List_ReturnsNewestFirst()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var ids = await sim.CreatePaymentsAsync(5);

        var page = await sim.GetAsync("v1/payments");

        Ids(page).ShouldBe(ids.AsEnumerable().Reverse());
    }

    [Fact]
    public async Task List_NewestFirst_AlsoWithinTheSameInstant()
    {
        await using var sim = await SimulatorSession.StartAsync();
        List<string> ids = [];
        for (var i = 0; i < 6; i++)
        {
            ids.Add(await sim.CreatePaymentAsync());
            if (i % 2 == 1)
            {
                sim.Clock.Advance(TimeSpan.FromSeconds(1));
            }
        }

        var page = await sim.GetAsync("v1/payments");

        Ids(page).ShouldBe(ids.AsEnumerable().Reverse());
        var created = page.Json.Items("data").Select(p => p.Time("createdAt")!.Value).ToList();
        created.ShouldBe(created.OrderByDescending(t => t));
    }

    [Fact]
    public async Task List_DefaultLimit_Is20()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var ids = await sim.CreatePaymentsAsync(25);

        var page = await sim.GetAsync("v1/payments");

        Ids(page).ShouldBe(ids.AsEnumerable().Reverse().Take(20));
        page.Json.Str("nextCursor").ShouldNotBeNullOrEmpty();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(100)]
    public async Task List_LimitWithinBounds_IsHonoured(int limit)
    {
        await using var sim = await SimulatorSession.StartAsync();
        await sim.CreatePaymentsAsync(8);

        var page = await sim.GetAsync($"v1/payments?limit={limit}");

        page.Status.ShouldBe(200, page.Body);
        Ids(page).Count.ShouldBe(Math.Min(limit, 8));
        (page.Json.Str("nextCursor") is null).ShouldBe(limit >= 8);
    }

    [Fact]
    public async Task List_CursorPaging_WalksEveryPaymentOnceNewestFirst()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var ids = await sim.CreatePaymentsAsync(25);

        var first = await sim.GetAsync("v1/payments?limit=10");
        var second = await sim.GetAsync($"v1/payments?limit=10&cursor={Cursor(first)}");
        var third = await sim.GetAsync($"v1/payments?limit=10&cursor={Cursor(second)}");

        Ids(first).Count.ShouldBe(10);
        Ids(second).Count.ShouldBe(10);
        Ids(third).Count.ShouldBe(5);
        third.Json.Prop("nextCursor").ValueKind.ShouldBe(JsonValueKind.Null);
        Ids(first).Concat(Ids(second)).Concat(Ids(third)).ShouldBe(ids.AsEnumerable().Reverse());
    }

    [Fact]
    public async Task List_ExactlyOneFullPage_EndsCleanly()
    {
        await using var sim = await SimulatorSession.StartAsync();
        await sim.CreatePaymentsAsync(10);

        var page = await sim.GetAsync("v1/payments?limit=10");

        // The list looks one past the page, so a page that holds the last payment says there is no next one.
        Ids(page).Count.ShouldBe(10);
        page.Json.Prop("nextCursor").ValueKind.ShouldBe(JsonValueKind.Null, page.Body);
    }

    [Fact]
    public async Task List_FilterByOrderId_ReturnsOnlyThatOrder_NewestFirstPageByPage_AndForgetsItOnReset()
    {
        await using var sim = await SimulatorSession.StartAsync();
        List<string> orderA = [];
        for (var i = 0; i < 5; i++)
        {
            orderA.Add(await sim.CreatePaymentAsync(Payments.Body(orderId: "order-A")));
            await sim.CreatePaymentJsonAsync(Payments.Body(orderId: "order-B"));
            await sim.CreatePaymentJsonAsync(Payments.Body(orderId: "order-a")); // order ids are compared exactly
        }

        var first = await sim.GetAsync("v1/payments?orderId=order-A&limit=2");
        var second = await sim.GetAsync($"v1/payments?orderId=order-A&limit=2&cursor={Cursor(first)}");
        var third = await sim.GetAsync($"v1/payments?orderId=order-A&limit=2&cursor={Cursor(second)}");

        Ids(first).Concat(Ids(second)).Concat(Ids(third)).ShouldBe(orderA.AsEnumerable().Reverse());
        third.Json.Prop("nextCursor").ValueKind.ShouldBe(JsonValueKind.Null, third.Body);
        (await ListIdsAsync(sim, "orderId=order-A")).ShouldBe(orderA.AsEnumerable().Reverse());
        (await ListIdsAsync(sim, "orderId=order-C")).ShouldBeEmpty();

        // After a reset the order starts again: its new payment is its only one.
        (await sim.ControlPostAsync("_sim/reset")).Status.ShouldBe(204);
        var again = await sim.CreatePaymentAsync(Payments.Body(orderId: "order-A"));
        (await ListIdsAsync(sim, "orderId=order-A")).ShouldBe([again]);
    }

    [Fact]
    public async Task List_FilterByStatus_ReturnsOnlyThatStatus()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var ids = await sim.CreatePaymentsAsync(4);
        sim.Pay(ids[1]);
        sim.Pay(ids[3]);
        sim.Confirm(ids[3]);
        sim.Expire(ids[0]);

        (await ListIdsAsync(sim, "status=pending")).ShouldBe([ids[2]]);
        (await ListIdsAsync(sim, "status=paid")).ShouldBe([ids[1]]);
        (await ListIdsAsync(sim, "status=confirmed")).ShouldBe([ids[3]]);
        (await ListIdsAsync(sim, "status=expired")).ShouldBe([ids[0]]);
    }

    [Fact]
    public async Task List_CreatedFromAndCreatedTo_AreInclusive()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var p0 = await sim.CreatePaymentAsync();
        sim.Clock.Advance(TimeSpan.FromHours(1));
        var p1 = await sim.CreatePaymentAsync();
        sim.Clock.Advance(TimeSpan.FromHours(1));
        var p2 = await sim.CreatePaymentAsync();
        var t1 = Sim.Start.AddHours(1).ToQueryTimestamp();

        (await ListIdsAsync(sim, $"createdFrom={t1}")).ShouldBe([p2, p1]);
        (await ListIdsAsync(sim, $"createdTo={t1}")).ShouldBe([p1, p0]);
        (await ListIdsAsync(sim, $"createdFrom={t1}&createdTo={t1}")).ShouldBe([p1]);
        (await ListIdsAsync(sim, $"createdFrom={Sim.Start.AddHours(3).ToQueryTimestamp()}")).ShouldBeEmpty();
    }

    [Fact]
    public async Task List_CreatedFromWithOffset_IsUnderstood()
    {
        await using var sim = await SimulatorSession.StartAsync();
        await sim.CreatePaymentJsonAsync();
        sim.Clock.Advance(TimeSpan.FromHours(2));
        var later = await sim.CreatePaymentAsync();

        // 12:00+02:00 is 10:00Z, so both match; 13:00+02:00 is 11:00Z, so only the later one.
        (await ListIdsAsync(sim, "createdFrom=" + Uri.EscapeDataString("2026-11-21T13:00:00+02:00"))).ShouldBe([later]);
        (await ListIdsAsync(sim, "createdFrom=" + Uri.EscapeDataString("2026-11-21T12:00:00+02:00"))).Count.ShouldBe(2);
    }

    [Theory]
    [InlineData("orderId=order-B")]
    [InlineData("")]
    [InlineData("orderId=order-A&status=paid")]
    public async Task List_CursorUsedWithOtherFilters_Returns400WithParamCursor(string otherFilters)
    {
        await using var sim = await SimulatorSession.StartAsync();
        for (var i = 0; i < 3; i++)
        {
            await sim.CreatePaymentJsonAsync(Payments.Body(orderId: "order-A"));
            await sim.CreatePaymentJsonAsync(Payments.Body(orderId: "order-B"));
        }

        var first = await sim.GetAsync("v1/payments?orderId=order-A&limit=1");
        var cursor = Cursor(first);
        var sameFilters = await sim.GetAsync($"v1/payments?orderId=order-A&limit=1&cursor={cursor}");
        var query = otherFilters.Length == 0 ? "" : otherFilters + "&";
        var otherFiltersResponse = await sim.GetAsync($"v1/payments?{query}limit=1&cursor={cursor}");

        sameFilters.Status.ShouldBe(200, sameFilters.Body);
        otherFiltersResponse.ShouldBeError(400, "invalid_request", "cursor");
    }

    [Fact]
    public async Task List_DifferentLimitWithTheSameCursor_IsAllowed()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var ids = await sim.CreatePaymentsAsync(6);

        var first = await sim.GetAsync("v1/payments?limit=2");
        var rest = await sim.GetAsync($"v1/payments?limit=10&cursor={Cursor(first)}");

        rest.Status.ShouldBe(200, rest.Body);
        Ids(first).Concat(Ids(rest)).ShouldBe(ids.AsEnumerable().Reverse());
    }

    private static async Task<List<string>> ListIdsAsync(SimulatorSession sim, string query)
    {
        var response = await sim.GetAsync($"v1/payments?limit=100&{query}");
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
