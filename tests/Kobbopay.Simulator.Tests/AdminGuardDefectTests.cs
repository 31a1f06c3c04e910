namespace Kobbopay.Simulator.Tests;

/// <summary>
/// Two ways the admin and control APIs could break the simulator for good, found by probing it: a stub posted under a
/// lifecycle mapping's id (it replaced the route, and no reset brought it back), and a clock advanced past the largest
/// time it can hold (every later request answered 500 with a serialized exception). Both are refused with a 4xx now.
/// </summary>
public sealed class AdminGuardDefectTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AStubPostedUnderALifecycleId_IsRefused_AndTheRouteStays(bool asArray)
    {
        await using var sim = await SimulatorSession.StartAsync();
        string id = await sim.CreatePaymentAsync();
        string stub = $$$"""{"Guid":"{{{WireMockAdmin.GetPaymentMappingId}}}","Request":{"Path":"/v1/payments/{{{id}}}","Methods":["GET"]},"Response":{"StatusCode":503}}""";

        var posted = await sim.ControlPostAsync("__admin/mappings", asArray ? $"[{stub}]" : stub);
        var read = await sim.GetAsync($"v1/payments/{id}");

        posted.Status.ShouldBe(409, posted.Body);
        posted.Body.ShouldContain(WireMockAdmin.GetPaymentMappingId);
        read.Status.ShouldBe(200, read.Body);
    }

    [Fact]
    public async Task AdvancingPastTheLargestTime_Is400NamingSeconds_AndTheSimulatorKeepsAnswering()
    {
        await using var sim = await SimulatorSession.StartAsync(o => o.ClockStart = new DateTimeOffset(9995, 1, 1, 0, 0, 0, TimeSpan.Zero));

        var advanced = await sim.ControlPostAsync("_sim/clock/advance", """{"seconds":315360000}""");
        var clock = await sim.ControlGetAsync("_sim/clock");
        var created = await sim.PostPaymentAsync(Payments.Body(orderId: "order-after-limit"), "limit-key-1");

        advanced.Status.ShouldBe(400, advanced.Body);
        advanced.Json.Prop("error").Str("param").ShouldBe("seconds");
        clock.Status.ShouldBe(200, clock.Body);
        created.Status.ShouldBe(201, created.Body);
        Should.Throw<ArgumentOutOfRangeException>(() => sim.Clock.Advance(TimeSpan.FromDays(3650)));
    }
}
