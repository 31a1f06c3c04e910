// Uses every Kobbopay library the way a merchant would, compiled with Native AOT by build/aot-check.sh, which then runs
// the binary against the simulator. Prints one line per check ("ok   ..." or "FAIL ..."); exits 0 only when all hold.
//
//   Kobbopay.AotSmoke                            usage, then the in-process webhook checks only
//   Kobbopay.AotSmoke <base-address> [api-key]   the client against the gateway or simulator, then the webhook checks
//
// The webhook checks: a body signed with KobbopayWebhookSigner is verified and parsed; a small ASP.NET Core app on
// 127.0.0.1 (a free port) with AddKobbopayWebhooks + MapKobbopayWebhooks and the SQLite store, both bound from
// configuration, receives it over loopback: 200 and handled once; again: 200, a duplicate, not handled again; after a
// restart on the same database file: still a duplicate; with a bad signature: 401. A client bound from configuration
// with "Kobbopay:Environment": "Test" is refused, the message listing the allowed values. The PostgreSQL store is registered
// and resolved without a server; with KOBBOPAY_POSTGRES set (a connection string) the endpoint checks run on it too.
// With a base address, a reconciliation follows the client checks: the books hold the payment just created and an order
// with no payment; the report, written by the JSON sink, must hold exactly one missing_payment. Then the same books in
// a host with AddKobbopayReconciliation (options validated at start, the hosted service's first run at start): its
// sink must see the run complete with that missing_payment.
using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Kobbopay.AspNetCore;
using Kobbopay.EventStore.PostgreSql;
using Kobbopay.EventStore.Sqlite;
using Kobbopay.Reconciliation;
using Kobbopay.Sdk;
using Kobbopay.TestUtilities;
using Kobbopay.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

const string DefaultApiKey = "kp_test_sim_0000000000000000000000000000";

if (args is ["-h" or "--help", ..])
{
    PrintUsage();
    return 0;
}

Uri? baseAddress = null;
if (args.Length == 0)
{
    PrintUsage();
}
else if (!Uri.TryCreate(args[0], UriKind.Absolute, out baseAddress))
{
    Console.Error.WriteLine($"aot-smoke: '{args[0]}' is not an absolute URI.");
    return 2;
}

var checks = new Checks();
if (baseAddress is not null)
{
    KobbopayClient client = ClientChecks.CreateClient(baseAddress, args.Length > 1 ? args[1] : DefaultApiKey);
    if (await ClientChecks.RunAsync(checks, client) is { } created)
    {
        await ReconciliationChecks.RunAsync(checks, client, created);
        await ReconciliationChecks.ScheduledAsync(checks, baseAddress, args.Length > 1 ? args[1] : DefaultApiKey, created);
    }
}

WebhookChecks.SignVerifyParse(checks);
SettingsChecks.EnumFromConfiguration(checks);

string sqliteFile = Path.Combine(Path.GetTempPath(), $"kobbopay-aot-smoke-{Guid.NewGuid():N}.db");
try
{
    await WebhookChecks.EndpointAsync(checks, "SQLite", SqliteFromConfiguration, store => store is SqliteWebhookEventStore);
}
finally
{
    foreach (string file in new[] { sqliteFile, sqliteFile + "-wal", sqliteFile + "-shm" })
    {
        File.Delete(file);
    }
}

await PostgreSqlChecks.RegisterAsync(checks);
if (Environment.GetEnvironmentVariable("KOBBOPAY_POSTGRES") is { Length: > 0 } postgres)
{
    await WebhookChecks.EndpointAsync(
        checks,
        "PostgreSQL",
        builder =>
        {
            // Options set in code, the other way to register.
            builder.Services.AddKobbopayPostgreSqlEventStore(o =>
            {
                o.ConnectionString = postgres;
                o.TableName = "kobbopay_aot_smoke_events";
                o.PurgeInterval = TimeSpan.Zero;
            });
            return builder.Services.AddKobbopayWebhooks(o => o.Secrets.Add(WebhookChecks.Secret));
        },
        store => store is PostgreSqlWebhookEventStore);
}

Console.WriteLine(checks.Failed == 0
    ? $"aot-smoke: all {checks.Count} checks passed"
    : $"aot-smoke: {checks.Failed} of {checks.Count} checks failed");
return checks.Failed == 0 ? 0 : 1;

// The merchant's usual wiring: the endpoint's options and the SQLite store's from configuration (here in memory; in an
// app, appsettings.json and environment variables), read by the libraries' source-generated binders.
KobbopayWebhooksBuilder SqliteFromConfiguration(WebApplicationBuilder builder)
{
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Kobbopay:Webhooks:Secrets:0"] = WebhookChecks.Secret,
        ["Kobbopay:Webhooks:LeaseDuration"] = "00:01:00",
        ["Kobbopay:Webhooks:Sqlite:ConnectionString"] = "Data Source=" + sqliteFile,
        ["Kobbopay:Webhooks:Sqlite:PurgeInterval"] = "00:00:00",
    });
    builder.Services.AddKobbopaySqliteEventStore(builder.Configuration.GetSection("Kobbopay:Webhooks:Sqlite"));
    return builder.Services.AddKobbopayWebhooks(builder.Configuration.GetSection("Kobbopay:Webhooks"));
}

static void PrintUsage()
{
    Console.WriteLine("usage: Kobbopay.AotSmoke [<base-address> [api-key]]");
    Console.WriteLine("  With a base address (for example http://127.0.0.1:5080/), creates a payment there, reads it back and");
    Console.WriteLine("  replays the create, then reconciles it and an order with no payment (a JSON report); the api key defaults");
    Console.WriteLine("  to the simulator's test key. Always runs the in-process webhook checks (signature, ASP.NET Core endpoint on");
    Console.WriteLine("  loopback with the SQLite store, PostgreSQL store registration; the endpoint also on PostgreSQL when");
    Console.WriteLine("  KOBBOPAY_POSTGRES is set). Exits 0 only when every check holds.");
}

/// <summary>Counts and prints the checks, one line each.</summary>
internal sealed class Checks
{
    public int Count { get; private set; }

    public int Failed { get; private set; }

    public bool Report(string name, bool ok, string detail)
    {
        Count++;
        if (!ok)
        {
            Failed++;
        }

        Console.WriteLine($"{(ok ? "ok  " : "FAIL")} {name}: {detail}");
        return ok;
    }

    public void Fail(string name, Exception e) => Report(name, false, $"{e.GetType().Name}: {e.Message}");
}

/// <summary>KobbopayClient against a gateway (the simulator): create, read back, replay, a 404.</summary>
internal static class ClientChecks
{
    public static KobbopayClient CreateClient(Uri baseAddress, string apiKey)
    {
        var options = new KobbopayClientOptions
        {
            BaseAddress = baseAddress,
            ApiKey = apiKey,
            Environment = KobbopayEnvironment.NonProduction,
        };
        options.EnabledRails.Add(new KobbopayRail("example-network", "USDT", 6));
        return KobbopayClient.Create(options);
    }

    /// <returns>The payment created, or <see langword="null"/> when the create failed.</returns>
    public static async Task<Payment?> RunAsync(Checks checks, KobbopayClient client)
    {
        string orderId = "aot-" + Guid.NewGuid().ToString("N");
        var request = new CreatePaymentRequest
        {
            Amount = 12.5m,
            Currency = "USDT",
            Network = "example-network",
            OrderId = orderId,
            Metadata = new Dictionary<string, string> { ["source"] = "aot-smoke" },
        };
        string idempotencyKey = KobbopayIdempotencyKey.FromOrderId(orderId);

        Payment created;
        try
        {
            created = await client.CreatePaymentAsync(request, idempotencyKey);
        }
        catch (KobbopayException e)
        {
            checks.Fail("client create", e);
            return null;
        }

        checks.Report(
            "client create",
            created.Amount == 12.5m && created.OrderId == orderId && created.Metadata?.GetValueOrDefault("source") == "aot-smoke",
            $"{created.Id} {created.Status} {created.Amount} {created.Currency} on {created.Network}");

        try
        {
            Payment fetched = await client.GetPaymentAsync(created.Id);
            checks.Report("client get", fetched.Id == created.Id && fetched.Amount == created.Amount, $"read back {fetched.Id} {fetched.Status}");
        }
        catch (KobbopayException e)
        {
            checks.Fail("client get", e);
        }

        try
        {
            Payment replayed = await client.CreatePaymentAsync(request, idempotencyKey);
            checks.Report("client idempotent create", replayed.Id == created.Id, $"same key, same payment {replayed.Id}");
        }
        catch (KobbopayException e)
        {
            checks.Fail("client idempotent create", e);
        }

        try
        {
            Payment unexpected = await client.GetPaymentAsync("pay_aot_smoke_missing");
            checks.Report("client error", false, $"expected a 404, got payment {unexpected.Id}");
        }
        catch (KobbopayApiException e)
        {
            checks.Report("client error", e.StatusCode == 404, $"{e.StatusCode} {e.ErrorCode} read as {nameof(KobbopayApiException)}");
        }
        catch (KobbopayException e)
        {
            checks.Fail("client error", e);
        }

        return created;
    }
}

/// <summary>
/// KobbopayReconciler against the gateway, its report written by the JSON sink (source-generated serialization) and
/// parsed back: the books hold the payment the client checks created (pending, as at the gateway) and an order with no
/// payment, so the report holds exactly one exception, a missing_payment.
/// </summary>
internal static class ReconciliationChecks
{
    public static async Task RunAsync(Checks checks, KobbopayClient client, Payment created)
    {
        const string Name = "reconciliation";
        string missing = "aot-missing-" + Guid.NewGuid().ToString("N");
        var ledger = new SmokeLedger(
            new LedgerOrder(created.OrderId, created.Amount, created.Currency, "pending"),
            new LedgerOrder(missing, 3m, "USDT", "pending"));
        try
        {
            using var report = new MemoryStream();
            ReconciliationSummary summary;
            await using (var sink = new JsonReconciliationSink(report))
            {
                // The second the payment was created in (the gateway's times are whole seconds).
                summary = await new KobbopayReconciler(client, ledger, OrderStatusMapping.Identity)
                    .RunAsync(created.CreatedAt, created.CreatedAt.AddSeconds(1), sink);
            }

            using JsonDocument document = JsonDocument.Parse(report.ToArray());
            JsonElement[] exceptions = [.. document.RootElement.GetProperty("exceptions").EnumerateArray()];
            long reportedCount = document.RootElement.GetProperty("summary").GetProperty("exceptionCount").GetInt64();
            bool one = exceptions.Length == 1
                && exceptions[0].GetProperty("kind").GetString() == ReconciliationKinds.MissingPayment
                && exceptions[0].GetProperty("orderId").GetString() == missing;
            checks.Report(
                Name,
                one && reportedCount == 1 && summary.OrdersChecked == 2 && summary.ExceptionCount == 1,
                $"{summary.OrdersChecked} orders, {summary.PaymentsChecked} payments; JSON report of {report.Length} bytes with "
                + string.Join(", ", exceptions.Select(e => $"{e.GetProperty("kind").GetString()} ({e.GetProperty("orderId").GetString()})")));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            checks.Fail(Name, e);
        }
    }

    /// <summary>
    /// AddKobbopayReconciliation in a host: options validated at start, the hosted service resolved, its first run at
    /// start. Other checks' payments of the last day may be orphans here; the missing order must be reported.
    /// </summary>
    public static async Task ScheduledAsync(Checks checks, Uri baseAddress, string apiKey, Payment created)
    {
        const string Name = "scheduled reconciliation";
        string missing = "aot-scheduled-" + Guid.NewGuid().ToString("N");
        var sink = new SignalSink();
        try
        {
            HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
            builder.Services.AddLogging();
            builder.Services.AddKobbopayClient(o =>
            {
                o.BaseAddress = baseAddress;
                o.ApiKey = apiKey;
            });
            builder.Services.AddSingleton<IOrderLedger>(new SmokeLedger(
                new LedgerOrder(created.OrderId, created.Amount, created.Currency, "pending"),
                new LedgerOrder(missing, 3m, "USDT", "pending")));
            builder.Services.AddSingleton<IReconciliationSink>(sink);
            builder.Services.AddKobbopayReconciliation(o => o.SettleTime = TimeSpan.Zero);
            using IHost host = builder.Build();
            await host.StartAsync();
            ReconciliationSummary summary = await sink.Completed.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await host.StopAsync();
            checks.Report(
                Name,
                sink.Kinds.Contains($"{ReconciliationKinds.MissingPayment} {missing}"),
                $"first run at start: {summary.OrdersChecked} orders, {summary.PaymentsChecked} payments, {summary.ExceptionCount} exception(s), the missing order among them");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            checks.Fail(Name, e);
        }
    }

    /// <summary>Keeps the kinds and orders of the exceptions, and signals the summary.</summary>
    private sealed class SignalSink : IReconciliationSink
    {
        public ConcurrentBag<string> Kinds { get; } = [];

        public TaskCompletionSource<ReconciliationSummary> Completed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask WriteAsync(ReconciliationDiscrepancy exception, CancellationToken cancellationToken)
        {
            Kinds.Add($"{exception.Kind} {exception.OrderId}");
            return ValueTask.CompletedTask;
        }

        public ValueTask CompleteAsync(ReconciliationSummary summary, CancellationToken cancellationToken)
        {
            Completed.TrySetResult(summary);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>The merchant's books in memory: every order is of the period.</summary>
    private sealed class SmokeLedger(params LedgerOrder[] orders) : IOrderLedger
    {
        public IAsyncEnumerable<LedgerOrder> GetOrdersAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
            orders.ToAsyncEnumerable();

        public ValueTask<LedgerOrder?> FindOrderAsync(string orderId, CancellationToken cancellationToken) =>
            ValueTask.FromResult(Array.Find(orders, o => o.OrderId == orderId));
    }
}

/// <summary>Webhooks: signing, verification and parsing; the ASP.NET Core endpoint with a durable store, over loopback.</summary>
internal static class WebhookChecks
{
    public const string Secret = "whsk_aot_smoke_secret";

    public static void SignVerifyParse(Checks checks)
    {
        byte[] body = EventBody("evt_1");
        var headers = new WebhookHeaders(KobbopayWebhookSigner.Sign(body, HmacSha256HexSignatureScheme.SchemeName, Secret, "evt_1", TimeProvider.System.GetUtcNow()));
        WebhookVerificationResult verified = new HmacSha256HexSignatureScheme([Secret]).Verify(body.AsSpan(), headers);
        PaymentEvent parsed = WebhookEventParser.Parse(body);
        checks.Report(
            "webhook signature",
            verified.IsValid && parsed.Payment?.Amount == 1.50m && WebhookDedupeKey.For(parsed) == "evt_1",
            verified.IsValid ? $"signed, verified and parsed ({parsed.Type}, {parsed.Payment?.Amount} {parsed.Payment?.Currency})" : $"not verified: {verified.Failure}");
    }

    public static async Task EndpointAsync(Checks checks, string storeName, Func<WebApplicationBuilder, KobbopayWebhooksBuilder> configure, Func<IWebhookEventStore, bool> isExpectedStore)
    {
        string name = $"webhook endpoint ({storeName})";
        string eventId = "evt_aot_" + Guid.NewGuid().ToString("N");
        byte[] body = EventBody(eventId);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            var handled = new HandledEvents();
            await using (WebhookApp app = await WebhookApp.StartAsync(configure, handled))
            {
                IWebhookEventStore store = app.Services.GetRequiredService<IWebhookEventStore>();
                if (!checks.Report(name, isExpectedStore(store), $"listening on {app.Url}, store {store.GetType().Name}"))
                {
                    return;
                }

                (HttpStatusCode status, string answer) = await DeliverAsync(http, app.Url, body, eventId, Secret);
                checks.Report($"{name} delivery", status == HttpStatusCode.OK && handled.Count(eventId) == 1, $"{(int)status} {answer}, handled {handled.Count(eventId)} time(s)");

                (status, answer) = await DeliverAsync(http, app.Url, body, eventId, Secret);
                checks.Report($"{name} duplicate", status == HttpStatusCode.OK && handled.Count(eventId) == 1, $"{(int)status} {answer}, handled {handled.Count(eventId)} time(s) in all");

                byte[] forged = EventBody("evt_aot_forged");
                (status, answer) = await DeliverAsync(http, app.Url, forged, "evt_aot_forged", "not-the-secret");
                checks.Report($"{name} bad signature", status == HttpStatusCode.Unauthorized && handled.Count("evt_aot_forged") == 0, $"{(int)status} {answer}, not handled");
            }

            // A new app instance on the same store: the event is still known, so a redelivery is not handled again.
            var afterRestart = new HandledEvents();
            await using (WebhookApp app = await WebhookApp.StartAsync(configure, afterRestart))
            {
                (HttpStatusCode status, string answer) = await DeliverAsync(http, app.Url, body, eventId, Secret);
                checks.Report($"{name} duplicate after restart", status == HttpStatusCode.OK && afterRestart.Count(eventId) == 0, $"{(int)status} {answer}, handled {afterRestart.Count(eventId)} time(s) by the new instance");
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            checks.Fail(name, e);
        }
    }

    private static async Task<(HttpStatusCode Status, string Body)> DeliverAsync(HttpClient http, Uri url, byte[] body, string eventId, string secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        foreach (KeyValuePair<string, string> header in KobbopayWebhookSigner.Sign(body, HmacSha256HexSignatureScheme.SchemeName, secret, eventId, TimeProvider.System.GetUtcNow()))
        {
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        using HttpResponseMessage response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static byte[] EventBody(string eventId) => Encoding.UTF8.GetBytes(
        "{\"id\":\"" + eventId + "\",\"type\":\"payment.paid\",\"createdAt\":\"2026-11-21T10:00:00Z\",\"paymentId\":\"pay_" + eventId
        + "\",\"sequence\":2,\"previousStatus\":\"pending\",\"data\":{\"payment\":{\"id\":\"pay_" + eventId
        + "\",\"status\":\"paid\",\"amount\":\"1.50\",\"currency\":\"USDT\",\"network\":\"example-network\",\"orderId\":\"o-" + eventId + "\"}}}");
}

/// <summary>A merchant app on a <see cref="LoopbackHost"/>: the webhook endpoint, a store, a counting handler.</summary>
internal sealed class WebhookApp(LoopbackHost host) : IAsyncDisposable
{
    public Uri Url { get; } = host.Url(KobbopayWebhooksEndpointRouteBuilderExtensions.DefaultPattern);

    public IServiceProvider Services => host.Services;

    /// <param name="configure">Registers the webhook endpoint's services and a store.</param>
    /// <param name="handled">Where the handler counts its runs.</param>
    public static async Task<WebhookApp> StartAsync(Func<WebApplicationBuilder, KobbopayWebhooksBuilder> configure, HandledEvents handled) =>
        new(await LoopbackHost.StartAsync(
            builder =>
            {
                builder.Services.AddSingleton(handled);
                configure(builder).AddHandler<CountingHandler>();
            },
            app => app.MapKobbopayWebhooks(),
            CancellationToken.None));

    public ValueTask DisposeAsync() => host.DisposeAsync();
}

/// <summary>How often the handler ran, per event id.</summary>
internal sealed class HandledEvents
{
    private readonly ConcurrentDictionary<string, int> _runs = new(StringComparer.Ordinal);

    public void Add(string eventId) => _runs.AddOrUpdate(eventId, 1, static (_, n) => n + 1);

    public int Count(string eventId) => _runs.GetValueOrDefault(eventId);
}

internal sealed class CountingHandler(HandledEvents handled) : IKobbopayWebhookHandler
{
    public Task HandleAsync(KobbopayWebhookContext context, CancellationToken cancellationToken)
    {
        handled.Add(context.Event.Id ?? context.DedupeKey);
        return Task.CompletedTask;
    }
}

/// <summary>Settings bound from configuration by the source-generated binder, checked as the SDK checks them.</summary>
internal static class SettingsChecks
{
    /// <summary>An enum setting that names no value stops the start listing the allowed values (generic enum code, no reflection).</summary>
    public static void EnumFromConfiguration(Checks checks)
    {
        const string Name = "enum setting";
        const string Expected = "Kobbopay:Environment must be one of NonProduction, Production; it is 'Test'.";
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kobbopay:BaseAddress"] = "https://api.example.com/",
            ["Kobbopay:ApiKey"] = "kp_test_aot",
            ["Kobbopay:Environment"] = "Test",
        }).Build();
        var services = new ServiceCollection();
        services.AddKobbopayClient(configuration.GetSection("Kobbopay"));
        using ServiceProvider provider = services.BuildServiceProvider();
        try
        {
            _ = provider.GetRequiredService<IOptionsMonitor<KobbopayClientOptions>>().Get(KobbopayServiceCollectionExtensions.DefaultName);
            checks.Report(Name, false, "Kobbopay:Environment 'Test' was accepted");
        }
        catch (OptionsValidationException e)
        {
            checks.Report(Name, e.Message == Expected, $"refused: {e.Message}");
        }
    }
}

/// <summary>The PostgreSQL store's registration, validation and construction: no server needed.</summary>
internal static class PostgreSqlChecks
{
    public static async Task RegisterAsync(Checks checks)
    {
        const string Name = "PostgreSQL store";
        try
        {
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddKobbopayPostgreSqlEventStore(o =>
            {
                o.ConnectionString = "Host=127.0.0.1;Port=5432;Database=kobbopay;Username=kobbopay";
                o.PurgeInterval = TimeSpan.Zero;
            });
            await using ServiceProvider provider = services.BuildServiceProvider();
            PostgreSqlWebhookEventStoreOptions options = provider.GetRequiredService<IOptions<PostgreSqlWebhookEventStoreOptions>>().Value;
            IWebhookEventStore store = provider.GetRequiredService<IWebhookEventStore>();

            var invalid = new ServiceCollection();
            invalid.AddKobbopayPostgreSqlEventStore(o => o.ConnectionString = null);
            await using ServiceProvider invalidProvider = invalid.BuildServiceProvider();
            string refusal = "";
            try
            {
                _ = invalidProvider.GetRequiredService<IOptions<PostgreSqlWebhookEventStoreOptions>>().Value;
            }
            catch (OptionsValidationException e)
            {
                refusal = e.Message;
            }

            bool connects = Environment.GetEnvironmentVariable("KOBBOPAY_POSTGRES") is { Length: > 0 };
            checks.Report(
                Name,
                store is PostgreSqlWebhookEventStore && options.Schema == "public" && refusal.Contains("ConnectionString is required", StringComparison.Ordinal),
                $"registered, validated and resolved ({(store as PostgreSqlWebhookEventStore)?.TableName}); a missing connection string refused"
                + (connects ? "" : "; not connected (KOBBOPAY_POSTGRES not set)"));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            checks.Fail(Name, e);
        }
    }
}
