using System.Text.Json;
using Kobbopay.Contracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static Kobbopay.AspNetCore.Tests.TestSupport.Payloads;

namespace Kobbopay.AspNetCore.Tests.HealthChecks;

/// <summary><c>AddKobbopayHealthChecks</c> on a real app: <c>/health</c> shows each check; forged deliveries and failing handlers turn it Degraded for a window.</summary>
public sealed class HealthCheckTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Health_ShowsEachCheck_HealthyAtFirst_AndNoGatewayCheckWithoutAClient()
    {
        await using WebhookApp app = await StartAsync(new HandlerCalls());

        ApiResponse health = await app.Client.GetApiAsync("/health", Ct);

        health.Status.ShouldBe(200);
        health.Json.Str("status").ShouldBe("Healthy");
        JsonElement checks = health.Json.Prop("checks");
        checks.EnumerateObject().Select(c => c.Name).ShouldBe([KobbopayHealthCheckNames.EventStore, KobbopayHealthCheckNames.Webhooks]);
        checks.Prop(KobbopayHealthCheckNames.EventStore).Str("description").ShouldBe("The webhook event store (InMemoryWebhookEventStore) keeps its records in memory: nothing to reach.");
        checks.Prop(KobbopayHealthCheckNames.Webhooks).Str("description").ShouldBe("0 signature failures and 0 handler failures in the last 00:05:00.");
        checks.Prop(KobbopayHealthCheckNames.Webhooks).Items("tags").Select(t => t.GetString()).ShouldBe(["kobbopay", "ready"]);
    }

    [Fact]
    public async Task ABurstOfForgedDeliveries_TurnsItDegraded_WithTheCount_UntilTheWindowHasPassed()
    {
        FakeTimeProvider clock = new(DateTimeOffset.Parse("2026-12-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        HandlerCalls calls = new();
        await using WebhookApp app = await StartAsync(calls, clock, o => o.SignatureFailureThreshold = 10);
        byte[] body = Event("evt_forged");

        for (int i = 0; i < 9; i++)
        {
            (await app.PostAsync(body, Sign(body, secret: "whsk_not_the_secret"))).Status.ShouldBe(401);
        }

        (await WebhooksCheckAsync(app)).Str("status").ShouldBe("Healthy", "9 is under the threshold of 10");

        clock.Advance(TimeSpan.FromMinutes(2));
        (await app.PostAsync(body, headers: null)).Status.ShouldBe(401); // no signature at all counts too
        ApiResponse health = await app.Client.GetApiAsync("/health", Ct);

        health.Status.ShouldBe(200, "Degraded still answers 200");
        health.Json.Str("status").ShouldBe("Degraded");
        JsonElement check = health.Json.Prop("checks").Prop(KobbopayHealthCheckNames.Webhooks);
        check.Str("status").ShouldBe("Degraded");
        check.Str("description").ShouldBe("10 signature failures and 0 handler failures in the last 00:05:00: at or over the threshold of 10 signature or 5 handler failures.");
        check.Prop("data").Str("signatureFailures").ShouldBe("10");
        calls.Counts.ShouldBeEmpty("a forged delivery never reaches a handler");

        clock.Advance(TimeSpan.FromMinutes(3) + TimeSpan.FromSeconds(5)); // the first nine have left the window
        check = await WebhooksCheckAsync(app);
        check.Str("status").ShouldBe("Healthy");
        check.Str("description").ShouldBe("1 signature failures and 0 handler failures in the last 00:05:00.");

        clock.Advance(TimeSpan.FromMinutes(2));
        (await WebhooksCheckAsync(app)).Str("description").ShouldBe("0 signature failures and 0 handler failures in the last 00:05:00.");
    }

    [Fact]
    public async Task FailingHandlers_TurnItDegraded_ValidDeliveriesDoNot()
    {
        HandlerCalls calls = new() { Behavior = (context, _, _) => context.Event.Id!.StartsWith("evt_fail", StringComparison.Ordinal) ? throw new InvalidOperationException("boom") : Task.CompletedTask };
        await using WebhookApp app = await StartAsync(calls, configure: o => o.HandlerFailureThreshold = 2);

        for (int i = 0; i < 5; i++)
        {
            (await app.PostSignedAsync(Event($"evt_ok_{i}"))).Status.ShouldBe(200);
        }

        (await app.PostSignedAsync(Event("evt_fail_1"))).Status.ShouldBe(500);
        (await WebhooksCheckAsync(app)).Str("status").ShouldBe("Healthy");
        (await app.PostSignedAsync(Event("evt_fail_1"))).Status.ShouldBe(500); // the gateway's retry fails again

        JsonElement check = await WebhooksCheckAsync(app);
        check.Str("status").ShouldBe("Degraded");
        check.Str("description").ShouldBe("0 signature failures and 2 handler failures in the last 00:05:00: at or over the threshold of 10 signature or 2 handler failures.");
        check.Prop("data").Str("handlerFailures").ShouldBe("2");
    }

    [Fact]
    public async Task AGatewayCheckRegisteredByTheClient_IsShown_AndItsFailureMakesTheAppUnhealthy()
    {
        // Kobbopay.Sdk's AddKobbopayClient registers its check this way; this package finds it without referencing the client.
        await using WebhookApp app = await StartAsync(new HandlerCalls(), services: s => s.AddKeyedSingleton<IHealthCheck>(
            KobbopayHealthCheckNames.Gateway,
            new FixedCheck(HealthCheckResult.Unhealthy("The gateway refused the configured API key (401 invalid_api_key); check Kobbopay:ApiKey and Kobbopay:Environment."))));

        ApiResponse health = await app.Client.GetApiAsync("/health", Ct);

        health.Status.ShouldBe(503);
        health.Json.Str("status").ShouldBe("Unhealthy");
        JsonElement gateway = health.Json.Prop("checks").Prop(KobbopayHealthCheckNames.Gateway);
        gateway.Str("status").ShouldBe("Unhealthy");
        gateway.Str("description")!.ShouldStartWith("The gateway refused the configured API key");
        health.Json.Prop("checks").Prop(KobbopayHealthCheckNames.EventStore).Str("status").ShouldBe("Healthy");
    }

    [Fact]
    public async Task AddingTheChecksTwice_AddsEachOnce_AndTheSettingsAccumulate()
    {
        await using WebhookApp app = await StartAsync(new HandlerCalls(), configure: o => o.Window = TimeSpan.FromMinutes(1), services: s => s.AddHealthChecks().AddKobbopayHealthChecks(o => o.HandlerFailureThreshold = 7));

        ApiResponse health = await app.Client.GetApiAsync("/health", Ct);

        health.Json.Prop("checks").EnumerateObject().Count().ShouldBe(2);
        KobbopayHealthCheckOptions options = app.Services.GetRequiredService<IOptions<KobbopayHealthCheckOptions>>().Value;
        (options.Window, options.HandlerFailureThreshold).ShouldBe((TimeSpan.FromMinutes(1), 7));
    }

    [Theory]
    [InlineData("Window", "00:00:00", "Kobbopay:HealthChecks:Window must be between 1 second and 1 day; it is 00:00:00.")]
    [InlineData("Window", "2.00:00:00", "Kobbopay:HealthChecks:Window must be between 1 second and 1 day; it is 2.00:00:00.")]
    [InlineData("SignatureFailureThreshold", "0", "Kobbopay:HealthChecks:SignatureFailureThreshold must be between 1 and 1000000; it is 0.")]
    [InlineData("HandlerFailureThreshold", "-1", "Kobbopay:HealthChecks:HandlerFailureThreshold must be between 1 and 1000000; it is -1.")]
    public async Task BadSettings_FailTheStart_NamingTheSetting(string setting, string value, string expected)
    {
        Dictionary<string, string?> settings = WebhookApp.DefaultSettings();
        settings["Kobbopay:HealthChecks:" + setting] = value;
        await using WebApplication app = WebhookApp.Build(
            w => w.AddHandler<CatchAllHandler>(),
            settings,
            LogLevel.Warning,
            null,
            s => s.AddSingleton(new HandlerCalls()).AddScoped<ScopeMarker>().AddHealthChecks().AddKobbopayHealthChecks(new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection("Kobbopay:HealthChecks")));

        OptionsValidationException ex = await Should.ThrowAsync<OptionsValidationException>(app.StartAsync(Ct));

        ex.Message.ShouldBe(expected);
    }

    private static Task<WebhookApp> StartAsync(HandlerCalls calls, TimeProvider? clock = null, Action<KobbopayHealthCheckOptions>? configure = null, Action<IServiceCollection>? services = null) =>
        WebhookApp.StartAsync(
            w => w.AddHandler<CatchAllHandler>(),
            middleware: app => app.MapJsonHealthChecks(),
            services: s =>
            {
                if (clock is not null)
                {
                    s.AddSingleton(clock);
                }

                s.AddSingleton(calls).AddScoped<ScopeMarker>();
                s.AddHealthChecks().AddKobbopayHealthChecks(configure, tags: ["ready"]);
                services?.Invoke(s);
            });

    private static async Task<JsonElement> WebhooksCheckAsync(WebhookApp app) =>
        (await app.Client.GetApiAsync("/health", Ct)).Json.Prop("checks").Prop(KobbopayHealthCheckNames.Webhooks);

    private sealed class FixedCheck(HealthCheckResult result) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) => Task.FromResult(result);
    }
}
