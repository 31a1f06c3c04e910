using System.Text;
using Kobbopay.Simulator.Tests.TestSupport;
using Kobbopay.TestUtilities;

namespace Kobbopay.Simulator.Tests;

/// <summary>
/// Two ways the admin and control APIs could break the simulator for good, found by probing it: a stub posted under a
/// lifecycle mapping's id (it replaced the route, and no reset brought it back), and a clock advanced past the largest
/// time it can hold (every later request answered 500 with a serialized exception). Both are refused with a 4xx now.
/// </summary>
public sealed class AdminGuardDefectTests
{
    private const string LifecycleGetPayment = "9c1e0000-0000-4000-8000-000000000004";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AStubPostedUnderALifecycleId_IsRefused_AndTheRouteStays(bool asArray)
    {
        await using var sim = await Sim.StartAsync();
        using var api = sim.CreateClient();
        using var admin = sim.CreateAdminClient();
        string id = (await Payments.CreateAsync(api)).Str("id")!;
        string stub = $$$"""{"Guid":"{{{LifecycleGetPayment}}}","Request":{"Path":"/v1/payments/{{{id}}}","Methods":["GET"]},"Response":{"StatusCode":503}}""";

        using var posted = await admin.PostAsync("__admin/mappings", new StringContent(asArray ? $"[{stub}]" : stub, Encoding.UTF8, "application/json"), Sim.Ct);
        var read = await api.GetApiAsync($"v1/payments/{id}", Sim.Ct);

        ((int)posted.StatusCode).ShouldBe(409, await posted.Content.ReadAsStringAsync(Sim.Ct));
        (await posted.Content.ReadAsStringAsync(Sim.Ct)).ShouldContain(LifecycleGetPayment);
        read.Status.ShouldBe(200, read.Body);
    }

    [Fact]
    public async Task AdvancingPastTheLargestTime_Is400NamingSeconds_AndTheSimulatorKeepsAnswering()
    {
        var options = Sim.Options();
        options.ClockStart = new DateTimeOffset(9995, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await using var sim = await KobbopaySimulator.StartAsync(options, Sim.Ct);
        using var admin = sim.CreateAdminClient();
        using var api = sim.CreateClient();

        var advanced = await admin.PostJsonAsync("_sim/clock/advance", """{"seconds":315360000}""", Sim.Ct);
        var clock = await admin.GetApiAsync("_sim/clock", Sim.Ct);
        var created = await Payments.PostAsync(api, Payments.Body(orderId: "order-after-limit"), "limit-key-1");

        advanced.Status.ShouldBe(400, advanced.Body);
        advanced.Json.Prop("error").Str("param").ShouldBe("seconds");
        clock.Status.ShouldBe(200, clock.Body);
        created.Status.ShouldBe(201, created.Body);
        Should.Throw<ArgumentOutOfRangeException>(() => sim.Clock.Advance(TimeSpan.FromDays(3650)));
    }
}
