using System.Globalization;
using Kobbopay.Sdk;
using Kobbopay.Sdk.Internal;
using Kobbopay.Sdk.Resilience;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;

namespace Kobbopay.Benchmarks;

/// <summary>
/// The client's time split layer by layer, for <c>client-interleaved</c>: each variant is the client as
/// <c>AddKobbopayClient</c> builds it, with one more layer than the one before. The chain is the real one (the named
/// client of <c>IHttpClientFactory</c>); the layers not yet added are taken out of it
/// (<c>ConfigureAdditionalHttpMessageHandlers</c>), and the strategy variants put a resilience handler over a pipeline
/// with fewer strategies in the place of the client's own. The last layer, the API key handler, is
/// <see cref="ClientBenchmark.SdkCreateThenGet"/> itself.
/// </summary>
internal sealed class ClientTimingLayers : IDisposable
{
    // Marks "keep the client's own resilience handler" (the one AddKobbopayClient registers through DI); never called.
    private static readonly Func<ResiliencePipeline<HttpResponseMessage>> Keep = () => throw new InvalidOperationException("Never called.");

    private readonly List<ServiceProvider> _providers = [];
    private int _order;

    /// <summary>Builds the variants against the stub at <paramref name="address"/>, in the order the layers are added.</summary>
    public IReadOnlyList<(string Name, Func<Task<string>> Call)> Build(Uri address)
    {
        KobbopayResilienceOptions timeoutsOnly = new() { MaxRetryAttempts = 0, EnableCircuitBreaker = false };
        KobbopayResilienceOptions noBreaker = new() { EnableCircuitBreaker = false };
        return
        [
            ("LayerFactoryCreateThenGet", Variant(address, keepTelemetry: false, resilience: null)),
            ("LayerTelemetryCreateThenGet", Variant(address, keepTelemetry: true, resilience: null)),
            ("LayerResilienceEmptyCreateThenGet", Variant(address, keepTelemetry: true, resilience: () => ResiliencePipeline<HttpResponseMessage>.Empty)),
            ("LayerTotalTimeoutCreateThenGet", Variant(address, keepTelemetry: true, resilience: () => new ResiliencePipelineBuilder<HttpResponseMessage>().AddTimeout(timeoutsOnly.TotalRequestTimeout).Build())),
            ("LayerAttemptTimeoutCreateThenGet", Variant(address, keepTelemetry: true, resilience: () => Bare(timeoutsOnly))),
            ("LayerRetryCreateThenGet", Variant(address, keepTelemetry: true, resilience: () => Bare(noBreaker))),
            ("LayerCircuitBreakerCreateThenGet", Variant(address, keepTelemetry: true, resilience: () => Bare(new KobbopayResilienceOptions()))),
            ("LayerPollyTelemetryCreateThenGet", Variant(address, keepTelemetry: true, resilience: Keep)),
        ];
    }

    public void Dispose()
    {
        foreach (ServiceProvider provider in _providers)
        {
            provider.Dispose();
        }
    }

    // The client's own pipeline, built without DI: no Polly telemetry listener (the DI-built one has Polly's metering).
    private static ResiliencePipeline<HttpResponseMessage> Bare(KobbopayResilienceOptions options) =>
        KobbopayResiliencePipeline.Create(options, TimeProvider.System, NullLogger.Instance);

    /// <summary>
    /// The client from <c>AddKobbopayClient</c>, without the API key handler, with the telemetry handler when
    /// <paramref name="keepTelemetry"/>, and with a resilience handler: none when <paramref name="resilience"/> is
    /// <see langword="null"/>, the client's own for <see cref="Keep"/>, or one over the pipeline it builds.
    /// </summary>
    private Func<Task<string>> Variant(Uri address, bool keepTelemetry, Func<ResiliencePipeline<HttpResponseMessage>>? resilience)
    {
        ServiceCollection services = new();
        services.AddKobbopayClient(o => { o.BaseAddress = address; o.ApiKey = "kp_test_bench_0000000000"; })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .ConfigureAdditionalHttpMessageHandlers((handlers, _) =>
            {
                List<DelegatingHandler> chain = [.. handlers];
                handlers.Clear();
                foreach (DelegatingHandler handler in chain)
                {
                    switch (handler)
                    {
                        case TelemetryHandler when keepTelemetry:
                            handlers.Add(handler);
                            break;
                        case ResilienceHandler when resilience == Keep:
                            handlers.Add(handler);
                            break;
                        case ResilienceHandler when resilience is not null:
                            handlers.Add(new ResilienceHandler(resilience()));
                            break;
                    }
                }
            });
        ServiceProvider provider = services.BuildServiceProvider();
        _providers.Add(provider);
        KobbopayClient client = provider.GetRequiredService<KobbopayClient>();
        return () => CreateThenGetAsync(client);
    }

    private async Task<string> CreateThenGetAsync(KobbopayClient client)
    {
        CreatePaymentRequest request = new()
        {
            Amount = 10.00m,
            Currency = "USDT",
            Network = "example-network",
            OrderId = "order-" + Interlocked.Increment(ref _order).ToString(CultureInfo.InvariantCulture),
        };
        Payment created = await client.CreatePaymentAsync(request);
        return (await client.GetPaymentAsync(created.Id)).Id;
    }
}
