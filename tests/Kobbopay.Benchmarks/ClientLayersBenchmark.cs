using BenchmarkDotNet.Attributes;
using Kobbopay.Sdk;
using Kobbopay.Sdk.Internal;
using Kobbopay.Sdk.Resilience;
using Kobbopay.TestUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kobbopay.Benchmarks;

/// <summary>The client's handler chain, one layer at a time, over Refit: where the allocations of a create+get go.</summary>
[Config(typeof(BenchConfig))]
public class ClientLayersBenchmark
{
    private LoopbackHost _stub = null!;
    private IKobbopayApi _refitOnly = null!;
    private IKobbopayApi _telemetry = null!;
    private IKobbopayApi _resilience = null!;
    private IKobbopayApi _factoryNoHandlers = null!;
    private IKobbopayApi _factoryFull = null!;
    private int _order;

    [GlobalSetup]
    public void Setup()
    {
        Payment canned = KobbopayModelFactory.Payment(id: "pay_bench_0001", orderId: "order-bench");
        byte[] json = KobbopaySerializer.SerializeToUtf8Bytes(canned);
        _stub = ClientBenchmark.StartGatewayStub(json);

        Refit.RefitSettings settings = Refit.RefitSettings.ForJsonContext(KobbopayJsonContext.Default);
        settings.RequestBodySerialization = Refit.RequestBodySerializationMode.Buffered;
        IKobbopayApi Api(HttpMessageHandler h) => Refit.RestService.ForGenerated<IKobbopayApi>(new HttpClient(h) { BaseAddress = _stub.BaseAddress }, settings);
        _refitOnly = Api(new SocketsHttpHandler());
        _telemetry = Api(new TelemetryHandler(NullLogger.Instance, TimeProvider.System) { InnerHandler = new SocketsHttpHandler() });
        _resilience = Api(new ResilienceHandler(KobbopayResiliencePipeline.Create(new KobbopayResilienceOptions(), TimeProvider.System, NullLogger.Instance)) { InnerHandler = new SocketsHttpHandler() });

        ServiceCollection plain = new();
        plain.AddHttpClient("plain").ConfigureHttpClient(c => c.BaseAddress = _stub.BaseAddress);
        _factoryNoHandlers = Refit.RestService.ForGenerated<IKobbopayApi>(plain.BuildServiceProvider().GetRequiredService<IHttpClientFactory>().CreateClient("plain"), settings);

        ServiceCollection full = new();
        full.AddKobbopayClient(o => { o.BaseAddress = _stub.BaseAddress; o.ApiKey = "kp_test_bench_0000000000"; });
        _factoryFull = Refit.RestService.ForGenerated<IKobbopayApi>(full.BuildServiceProvider().GetRequiredService<IHttpClientFactory>().CreateClient(KobbopayServiceCollectionExtensions.HttpClientName(KobbopayServiceCollectionExtensions.DefaultName)), settings);
    }

    [GlobalCleanup]
    public void Cleanup() => _stub.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true)]
    public Task<string> RefitOnly() => Run(_refitOnly);

    [Benchmark]
    public Task<string> Telemetry() => Run(_telemetry);

    [Benchmark]
    public Task<string> Resilience() => Run(_resilience);

    [Benchmark]
    public Task<string> FactoryNoHandlers() => Run(_factoryNoHandlers);

    [Benchmark]
    public Task<string> FactoryFull() => Run(_factoryFull);

    private async Task<string> Run(IKobbopayApi api)
    {
        CreatePaymentRequest request = new() { Amount = 10m, Currency = "USDT", Network = "example-network", OrderId = "order-" + Interlocked.Increment(ref _order) };
        using var created = await api.CreatePaymentAsync(request, Guid.NewGuid().ToString("N"), default);
        using var got = await api.GetPaymentAsync(created.Content!.Id, default);
        return got.Content!.Id;
    }
}
