using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using BenchmarkDotNet.Attributes;
using Kobbopay.Sdk;
using Kobbopay.TestUtilities;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Kobbopay.Benchmarks;

/// <summary>
/// KobbopayClient create-then-get against a local Kestrel stub answering canned JSON, against raw HttpClient with
/// System.Text.Json source generation doing the same two requests (baseline). Targets: at most 1.10x the time and
/// 1.5x the allocated bytes. Two variants take the client apart: Refit alone (the same generated interface over a
/// bare HttpClient: Refit's own cost), and KobbopayClient over that bare HttpClient (the client's mapping, without the
/// handler chain of telemetry, resilience and API key).
/// </summary>
[Config(typeof(BenchConfig))]
public class ClientBenchmark
{
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };
    private LoopbackHost? _stub;
    private Uri _address = null!;
    private KobbopayClient _client = null!;
    private HttpClient _raw = null!;
    private Kobbopay.Sdk.Internal.IKobbopayApi _refit = null!;
    private KobbopayClient _bare = null!;
    private int _order;

    [GlobalSetup]
    public void Setup()
    {
        Payment canned = KobbopayModelFactory.Payment(id: "pay_bench_0001", orderId: "order-bench", createdAt: new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        byte[] json = KobbopaySerializer.SerializeToUtf8Bytes(canned);
        // KOBBOPAY_BENCH_CLIENT_STUB names a stub already running in another process (client-stub PORT), so the
        // stub's threads do not share the client's thread pool; otherwise the stub runs in this process.
        if (Environment.GetEnvironmentVariable("KOBBOPAY_BENCH_CLIENT_STUB") is { Length: > 0 } external)
        {
            _address = new Uri(external);
        }
        else
        {
            _stub = StartGatewayStub(json);
            _address = _stub.BaseAddress;
        }


        _client = KobbopayClient.Create(new KobbopayClientOptions { BaseAddress = _address, ApiKey = "kp_test_bench_0000000000" });
        _raw = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { BaseAddress = _address };
        _raw.DefaultRequestHeaders.Add("x-api-key", "kp_test_bench_0000000000");
        Refit.RefitSettings settings = Refit.RefitSettings.ForJsonContext(KobbopayJsonContext.Default);
        settings.RequestBodySerialization = Refit.RequestBodySerializationMode.Buffered;
        _refit = Refit.RestService.ForGenerated<Kobbopay.Sdk.Internal.IKobbopayApi>(_raw, settings);
        _bare = new KobbopayClient(_refit, new KobbopayClientOptions(), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, TimeProvider.System);
        if (SdkCreateThenGet().GetAwaiter().GetResult() != "pay_bench_0001"
            || RawCreateThenGet().GetAwaiter().GetResult() != "pay_bench_0001"
            || RefitCreateThenGet().GetAwaiter().GetResult() != "pay_bench_0001"
            || SdkWithoutHandlersCreateThenGet().GetAwaiter().GetResult() != "pay_bench_0001")
        {
            throw new InvalidOperationException("The stub did not answer as expected.");
        }
    }

    /// <summary>Gets the stub's address (after <see cref="Setup"/>).</summary>
    internal Uri Address => _address;

    /// <summary>Points the raw baseline at <paramref name="http"/> without a stub (client-allocs: an in-memory handler).</summary>
    internal void UseRawClient(HttpClient http) => _raw = http;

    /// <summary>Runs the stub in this process on <paramref name="port"/> until the process is stopped (<c>client-stub PORT</c>).</summary>
    internal static Task ServeStubAsync(int port) =>
        StartGatewayStub(CannedJson(), port).WaitForShutdownAsync();

    internal static byte[] CannedJson() =>
        KobbopaySerializer.SerializeToUtf8Bytes(KobbopayModelFactory.Payment(id: "pay_bench_0001", orderId: "order-bench", createdAt: new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)));

    /// <summary>A local Kestrel stub of the two calls, answering <paramref name="json"/> (201 to a create, 200 to a get).</summary>
    internal static LoopbackHost StartGatewayStub(byte[] json, int port = 0) => LoopbackHost.StartAsync(configureBuilder: null, app =>
    {
        app.MapPost("/v1/payments", async context =>
        {
            await RequestBody.DrainAsync(context.Request);
            context.Response.StatusCode = 201;
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(json);
        });
        app.MapGet("/v1/payments/{id}", async context =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(json);
        });
    }, port, CancellationToken.None).GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup()
    {
        _raw.Dispose();
        _stub?.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>What a careful hand-written client does: source-generated JSON, one HttpClient, an idempotency key.</summary>
    [Benchmark(Baseline = true)]
    public async Task<string> RawCreateThenGet()
    {
        CreateBody body = new("10.00", "USDT", "example-network", "order-" + Interlocked.Increment(ref _order).ToString(System.Globalization.CultureInfo.InvariantCulture));
        using HttpRequestMessage create = new(HttpMethod.Post, "v1/payments")
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, BaselineJsonContext.Default.CreateBody)) { Headers = { ContentType = Json } },
        };
        create.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        PaymentDto created;
        using (HttpResponseMessage response = await _raw.SendAsync(create, HttpCompletionOption.ResponseHeadersRead))
        {
            response.EnsureSuccessStatusCode();
            await using Stream stream = await response.Content.ReadAsStreamAsync();
            created = (await JsonSerializer.DeserializeAsync(stream, BaselineJsonContext.Default.PaymentDto))!;
        }

        using HttpRequestMessage get = new(HttpMethod.Get, "v1/payments/" + Uri.EscapeDataString(created.Id));
        using HttpResponseMessage got = await _raw.SendAsync(get, HttpCompletionOption.ResponseHeadersRead);
        got.EnsureSuccessStatusCode();
        await using Stream s = await got.Content.ReadAsStreamAsync();
        return (await JsonSerializer.DeserializeAsync(s, BaselineJsonContext.Default.PaymentDto))!.Id;
    }

    /// <summary>Refit alone: the SDK's generated interface over the bare HttpClient, no handler of ours.</summary>
    [Benchmark]
    public async Task<string> RefitCreateThenGet()
    {
        using var created = await _refit.CreatePaymentAsync(NewRequest(), Guid.NewGuid().ToString("N"), default);
        using var got = await _refit.GetPaymentAsync(created.Content!.Id, default);
        return got.Content!.Id;
    }

    /// <summary>KobbopayClient's own work (checks, key, error mapping) over Refit and the bare HttpClient, no handler chain.</summary>
    [Benchmark]
    public async Task<string> SdkWithoutHandlersCreateThenGet()
    {
        Payment created = await _bare.CreatePaymentAsync(NewRequest());
        return (await _bare.GetPaymentAsync(created.Id)).Id;
    }

    [Benchmark]
    public async Task<string> SdkCreateThenGet()
    {
        Payment created = await _client.CreatePaymentAsync(NewRequest());
        return (await _client.GetPaymentAsync(created.Id)).Id;
    }

    private CreatePaymentRequest NewRequest() => new()
    {
        Amount = 10.00m,
        Currency = "USDT",
        Network = "example-network",
        OrderId = "order-" + Interlocked.Increment(ref _order).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

public sealed record CreateBody(string Amount, string Currency, string Network, string OrderId);

/// <summary>The baseline's own view of a payment: every field the SDK's Payment has (the SDK's converters are internal).</summary>
public sealed record PaymentDto(
    string Id,
    string Status,
    decimal Amount,
    string Currency,
    string Network,
    string OrderId,
    IReadOnlyDictionary<string, string>? Metadata,
    string? Address,
    Uri? StatusUrl,
    decimal? AmountReceived,
    int? Confirmations,
    string? TxHash,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? PaidAt,
    DateTimeOffset? ConfirmedAt,
    DateTimeOffset? ExpiredAt);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(CreateBody))]
[JsonSerializable(typeof(PaymentDto))]
internal sealed partial class BaselineJsonContext : JsonSerializerContext;
