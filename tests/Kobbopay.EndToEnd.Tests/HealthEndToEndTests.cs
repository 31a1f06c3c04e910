using System.Text.Json;
using Kobbopay.Contracts;
using Kobbopay.Simulator;
using Kobbopay.TestUtilities;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Kobbopay.EndToEnd.Tests;

/// <summary>
/// A merchant app with the client, the webhook endpoint and <c>AddKobbopayHealthChecks</c>, against the simulator: the
/// client's gateway check joins the webhook side's checks on <c>/health</c> without either package knowing the other.
/// </summary>
public sealed class HealthEndToEndTests
{
    [Theory]
    [InlineData(true, 200, "Healthy", "The gateway answered an authenticated call with the configured API key.")]
    [InlineData(false, 503, "Unhealthy", "The gateway refused the configured API key (401 invalid_api_key); check Kobbopay:ApiKey and Kobbopay:Environment.")]
    public async Task Health_ShowsTheGatewayCheck_WithTheConfiguredKey(bool rightKey, int status, string gatewayStatus, string description)
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using KobbopaySimulator gateway = await KobbopaySimulator.StartAsync(cancellationToken: ct);
        string key = rightKey ? gateway.TestApiKey : "kp_test_revoked_" + Guid.NewGuid().ToString("N");
        await using LoopbackHost merchant = await LoopbackHost.StartAsync(
            builder =>
            {
                builder.Services.AddKobbopayClient(o =>
                {
                    o.BaseAddress = gateway.BaseAddress;
                    o.ApiKey = key;
                });
                builder.Services.AddKobbopayWebhooks(o => o.Secrets.Add("whsk_health_e2e_secret"));
                builder.Services.AddHealthChecks().AddKobbopayHealthChecks();
            },
            app =>
            {
                app.MapKobbopayWebhooks("/webhook/kobbopay");
                app.MapJsonHealthChecks();
            },
            ct);
        using HttpClient http = new();

        ApiResponse health = await http.GetApiAsync(merchant.Url("/health").ToString(), ct);

        health.Status.ShouldBe(status);
        JsonElement checks = health.Json.Prop("checks");
        checks.EnumerateObject().Select(c => c.Name).Order().ShouldBe(KobbopayHealthCheckNames.All.Order());
        checks.Prop(KobbopayHealthCheckNames.Gateway).Str("status").ShouldBe(gatewayStatus);
        checks.Prop(KobbopayHealthCheckNames.Gateway).Str("description").ShouldBe(description);
        checks.Prop(KobbopayHealthCheckNames.EventStore).Str("status").ShouldBe("Healthy");
        checks.Prop(KobbopayHealthCheckNames.Webhooks).Str("status").ShouldBe("Healthy");
        health.Body.ShouldNotContain(key);
    }
}
