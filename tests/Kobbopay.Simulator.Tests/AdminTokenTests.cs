using System.Net;
using System.Net.Http.Headers;

namespace Kobbopay.Simulator.Tests;

/// <summary>Off loopback the control API needs a token; with one, a call without it is refused.</summary>
public sealed class AdminTokenTests
{
    private const string Token = "sim-admin-token-0123456789";

    [Fact]
    public async Task ListeningOffLoopback_WithoutAToken_RefusesToStart_NamingTheOption()
    {
        var options = Sim.Options();
        options.ListenAddress = IPAddress.Any;

        var refused = await Should.ThrowAsync<ArgumentException>(() => KobbopaySimulator.StartAsync(options, Sim.Ct));

        refused.Message.ShouldContain("AdminToken (--admin-token) is required to listen on 0.0.0.0");
    }

    [Fact]
    public async Task WithAToken_ControlCallsWithoutIt_Get401_AndTheApiAndThePayerPageAreUnaffected()
    {
        await using var sim = await SimulatorSession.StartAsync(o => o.AdminToken = Token);

        var missing = await sim.ControlGetAsync("_sim/clock");
        sim.Control.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "wrong-token-0123456789");
        var wrong = await sim.ControlPostAsync("_sim/clock/advance", """{"seconds":60}""");
        sim.Control.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var right = await sim.ControlGetAsync("_sim/clock");
        var payment = await sim.CreatePaymentJsonAsync();
        sim.Control.DefaultRequestHeaders.Authorization = null;
        using var page = await sim.Control.GetAsync(new Uri(payment.Str("statusUrl")!).PathAndQuery, Sim.Ct);

        missing.ShouldBeError(401, "invalid_admin_token");
        wrong.ShouldBeError(401, "invalid_admin_token");
        sim.Clock.GetUtcNow().ShouldBe(Sim.Start, "a refused call changes nothing");
        right.Status.ShouldBe(200, right.Body);
        ((int)page.StatusCode).ShouldBe(200);
        missing.Body.ShouldNotContain(Token);
    }

    [Theory]
    [InlineData("short")]
    [InlineData("has a space in it 0123")]
    public async Task AWeakToken_IsRefusedAtStart(string token)
    {
        var options = Sim.Options();
        options.AdminToken = token;

        var refused = await Should.ThrowAsync<ArgumentException>(() => KobbopaySimulator.StartAsync(options, Sim.Ct));

        refused.Message.ShouldContain("AdminToken (--admin-token) must be at least 16 printable ASCII characters");
        refused.Message.ShouldNotContain(token);
    }
}
