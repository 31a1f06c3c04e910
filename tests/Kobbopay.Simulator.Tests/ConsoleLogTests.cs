using Kobbopay.Simulator.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Kobbopay.Simulator.Tests;

/// <summary>The live console (<c>Kobbopay.Simulator.Console</c>): a line per API request and per delivery attempt, never a secret.</summary>
public sealed class ConsoleLogTests
{
    private const string AdminToken = "console-admin-token-0123456789";

    [Fact]
    public async Task EachApiRequest_AndEachAttempt_IsOneInformationLine_WithItsFigures()
    {
        using FakeLoggerProvider logs = new();
        await using var scene = await WebhookScene.StartAsync(registered: 1, configure: o => o.ConfigureLogging = b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
        var requests = scene.Sim.Requests; // the create, and the scene's read of the payment's events

        var lines = Console(logs);

        lines.ShouldAllBe(r => r.Level == LogLevel.Information);
        lines.Where(r => r.Id.Id == 80).Select(r => r.Message).ShouldBe(
            requests.Select(r => $"{r.Method} {r.Path} {r.StatusCode} {lines.First(l => l.GetStructuredStateValue("RequestId") == r.RequestId).GetStructuredStateValue("ElapsedMilliseconds")} ms {r.RequestId}"));
        requests.Select(r => (r.Method, r.Path, r.StatusCode)).ShouldBe([("POST", "/v1/payments", 201), ("GET", "/v1/events", 200)]);
        var attempt = scene.Original!.Attempts.Single();
        lines.Where(r => r.Id.Id == 82).ShouldHaveSingleItem().Message
            .ShouldBe($"-> payment.created {scene.EventId} to {scene.Receivers[0].Url} 200 in {(long)attempt.LatencyMilliseconds} ms");
    }

    [Fact]
    public async Task AFaultedRequest_AndAFailedAttempt_SayWhat()
    {
        using FakeLoggerProvider logs = new();
        await using var scene = await WebhookScene.StartAsync(registered: 0, configure: o => o.ConfigureLogging = b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
        Uri closed = new($"http://127.0.0.1:{FreePort()}/hook");
        scene.Sim.Faults = new SimulatorFaultOptions { RateLimitRate = 1 };

        var limited = await scene.Sim.GetAsync($"v1/events");
        scene.Sim.Simulator.ResendEvent(scene.EventId, closed, "whsk_test_secret", "hmac-sha256-hex");
        await scene.Sim.WhenWebhooksIdleAsync();

        limited.Status.ShouldBe(429);
        Console(logs).Where(r => r.Id.Id == 81).ShouldHaveSingleItem().Message.ShouldMatch($@"^GET /v1/events 429 \d+ ms {limited.RequestId} \[fault rate_limited\]$");
        Console(logs).Where(r => r.Id.Id == 84).ShouldHaveSingleItem().Message.ShouldStartWith($"-> payment.created {scene.EventId} to {closed} failed: ConnectionError: ");
    }

    [Fact]
    public async Task AnAttemptWithAWebhookFault_NamesIt()
    {
        using FakeLoggerProvider logs = new();
        await using var scene = await WebhookScene.StartAsync(registered: 1, configure: o =>
        {
            o.ConfigureLogging = b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Information);
            o.WebhookFaults = new SimulatorWebhookFaultOptions { DuplicateRate = 1 };
        });

        var attempts = Console(logs).Where(r => r.Id.Id is 82 or 83).ToList();

        attempts.Count.ShouldBe(2, "the attempt and its duplicate copy");
        var copy = attempts.Where(r => r.Id.Id == 83).ShouldHaveSingleItem();
        copy.Message.ShouldEndWith($" 200 in {copy.GetStructuredStateValue("ElapsedMilliseconds")} ms [fault duplicate]");
        copy.GetStructuredStateValue("Fault").ShouldBe("duplicate");
    }

    [Fact]
    public async Task TheConsole_NeverPrintsASecret_ASignature_AnApiKey_OrTheAdminToken()
    {
        using FakeLoggerProvider logs = new();
        await using var scene = await WebhookScene.StartAsync(registered: 0, unregistered: 1, configure: o =>
        {
            o.AdminToken = AdminToken;
            o.ConfigureLogging = b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace);
        });
        var receiver = scene.Receivers[0];
        var endpoint = scene.Sim.AddWebhookEndpoint(new Uri(receiver.Url, "?token=query-secret-1234"), "whsk_test_secret_never_logged");
        using var admin = scene.Sim.CreateAdminClient(AdminToken);
        (await admin.GetApiAsync("_sim/clock", Sim.Ct)).Status.ShouldBe(200);
        (await admin.PostJsonAsync($"_sim/events/{scene.EventId}/resend", null, Sim.Ct)).Status.ShouldBe(200);
        await scene.Sim.CreateWeekLongPaymentAsync();
        await scene.Sim.WhenWebhooksIdleAsync();

        Console(logs).Count(r => r.Id.Id == 82).ShouldBe(2, "the resend, and the second payment's payment.created");
        string[] secrets = [scene.Sim.TestApiKey, AdminToken, endpoint.Secret, "query-secret-1234", .. receiver.Requests.Select(r => r.Header("x-signature"))];
        foreach (var record in logs.Collector.GetSnapshot())
        {
            foreach (string secret in secrets)
            {
                record.Message.ShouldNotContain(secret);
                (record.StructuredState ?? []).ShouldAllBe(kv => kv.Value == null || !kv.Value.Contains(secret));
            }
        }
    }

    private static List<FakeLogRecord> Console(FakeLoggerProvider logs) =>
        [.. logs.Collector.GetSnapshot().Where(r => r.Category == ConsoleLog.Category)];

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
