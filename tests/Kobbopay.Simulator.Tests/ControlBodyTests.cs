using Kobbopay.Simulator.Tests.TestSupport;
using Kobbopay.TestUtilities;

namespace Kobbopay.Simulator.Tests;

/// <summary>Control API bodies: a field left out keeps its default; a field the call does not know is refused by name.</summary>
public sealed class ControlBodyTests
{
    [Fact]
    public async Task PutFaults_AFieldLeftOut_KeepsItsDefault_SoRetryAfterStaysOneSecond()
    {
        await using var sim = await Sim.StartAsync();
        using var control = sim.CreateAnonymousClient();
        using var api = sim.CreateClient();

        var put = await control.PutJsonAsync("_sim/faults", """{"seed":3,"rateLimitRate":1}""", Sim.Ct);
        var limited = await api.GetApiAsync("v1/payments", Sim.Ct);

        put.Status.ShouldBe(200, put.Body);
        put.Json.Int("retryAfterSeconds").ShouldBe(new SimulatorFaultOptions().RetryAfterSeconds);
        sim.Faults.ShouldBe(new SimulatorFaultOptions { Seed = 3, RateLimitRate = 1 });
        limited.Status.ShouldBe(429, limited.Body);
        limited.Header("Retry-After").ShouldBe("1");
    }

    [Theory]
    [InlineData("_sim/faults", """{"seed":1,"retryAfterSecnds":5}""", "retryAfterSecnds")]
    [InlineData("_sim/faults", """{"internalErrorRate":0.1,"unavailable":0.2}""", "unavailable")]
    [InlineData("_sim/webhook-faults", """{"seed":1,"duplicates":0.5}""", "duplicates")]
    public async Task PutFaults_AnUnknownField_Is400NamingIt_AndChangesNothing(string path, string body, string field)
    {
        await using var sim = await Sim.StartAsync();
        using var control = sim.CreateAnonymousClient();
        SimulatorFaultOptions apiBefore = sim.Faults;
        SimulatorWebhookFaultOptions webhookBefore = sim.WebhookFaults;

        var response = await control.PutJsonAsync(path, body, Sim.Ct);

        var error = response.ShouldBeError(400, "invalid_request", field);
        error.Str("message")!.ShouldContain($"'{field}'");
        error.Str("message")!.ShouldNotContain("Kobbopay.", Case.Sensitive, "no internal type names in an answer");
        sim.Faults.ShouldBe(apiBefore);
        sim.WebhookFaults.ShouldBe(webhookBefore);
    }
}
