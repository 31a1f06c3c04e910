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
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sim = await SimulatorSession.StartAsync(o => o.ConfigureLogging = b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
        sim.AddWebhookEndpoint(receiver.Url);

        var created = await sim.PostPaymentAsync();
        await sim.WhenWebhooksIdleAsync();

        var lines = Console(logs);
        lines.ShouldAllBe(r => r.Level == LogLevel.Information);
        var request = lines.Where(r => r.Id.Id == 80).ShouldHaveSingleItem();
        request.Message.ShouldMatch($@"^POST /v1/payments 201 \d+ ms {created.RequestId}$");
        var attempt = lines.Where(r => r.Id.Id == 82).ShouldHaveSingleItem();
        var delivery = sim.Deliveries.Single();
        attempt.Message.ShouldBe($"-> payment.created {delivery.EventId} to {receiver.Url} 200 in {(long)delivery.Attempts[0].LatencyMilliseconds} ms");
    }

    [Fact]
    public async Task AFaultedRequest_AndAFailedAttempt_SayWhat()
    {
        using FakeLoggerProvider logs = new();
        await using var sim = await SimulatorSession.StartAsync(o => o.ConfigureLogging = b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
        Uri closed = new($"http://127.0.0.1:{FreePort()}/hook");
        sim.AddWebhookEndpoint(closed);
        string id = await sim.CreateWeekLongPaymentAsync();
        await sim.WhenWebhooksIdleAsync();
        sim.Faults = new SimulatorFaultOptions { RateLimitRate = 1 };

        var limited = await sim.GetAsync($"v1/payments/{id}");

        limited.Status.ShouldBe(429);
        Console(logs).Where(r => r.Id.Id == 81).ShouldHaveSingleItem().Message.ShouldMatch($@"^GET /v1/payments/{id} 429 \d+ ms {limited.RequestId} \[fault rate_limited\]$");
        Console(logs).Where(r => r.Id.Id == 84).ShouldHaveSingleItem().Message.ShouldStartWith($"-> payment.created {sim.Deliveries.Single().EventId} to {closed} failed: ConnectionError: ");
    }

    [Fact]
    public async Task AnAttemptWithAWebhookFault_NamesIt()
    {
        using FakeLoggerProvider logs = new();
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sim = await SimulatorSession.StartAsync(o => o.ConfigureLogging = b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
        sim.AddWebhookEndpoint(receiver.Url);
        sim.WebhookFaults = new SimulatorWebhookFaultOptions { DuplicateRate = 1 };

        await sim.CreateWeekLongPaymentAsync();
        await sim.WhenWebhooksIdleAsync();

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
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sim = await SimulatorSession.StartAsync(o =>
        {
            o.AdminToken = AdminToken;
            o.ConfigureLogging = b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace);
        });
        var endpoint = sim.AddWebhookEndpoint(new Uri(receiver.Url, "?token=query-secret-1234"), "whsk_test_secret_never_logged");
        string id = await sim.CreateWeekLongPaymentAsync();
        using var admin = sim.CreateAdminClient(AdminToken);
        (await admin.PostJsonAsync($"_sim/payments/{id}/pay", null, Sim.Ct)).Status.ShouldBe(200);
        await sim.WhenWebhooksIdleAsync();
        (await admin.PostJsonAsync($"_sim/events/{sim.Deliveries[0].EventId}/resend", null, Sim.Ct)).Status.ShouldBe(200);
        await sim.WhenWebhooksIdleAsync();

        var everything = logs.Collector.GetSnapshot();
        Console(logs).Count(r => r.Id.Id == 82).ShouldBe(3, "payment.created, payment.paid, and the resend");
        string[] secrets = [sim.TestApiKey, AdminToken, endpoint.Secret, "query-secret-1234", .. receiver.Requests.Select(r => r.Header("x-signature"))];
        foreach (var record in everything)
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
