using Kobbopay.Simulator;
using Kobbopay.Sdk.Resilience;
using Microsoft.Extensions.Logging;

namespace Kobbopay.Sdk.Tests.TestSupport;

/// <summary>A simulator in process and a real client pointed at it.</summary>
internal static class ClientFixture
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Starts a simulator in process that injects <paramref name="faults"/> (seeded where a run must be reproducible).</summary>
    public static Task<KobbopaySimulator> StartSimulatorAsync(SimulatorFaultOptions faults) =>
        KobbopaySimulator.StartAsync(new KobbopaySimulatorOptions { Faults = faults }, Ct);

    public static KobbopayClientOptions Options(KobbopaySimulator sim, Action<KobbopayClientOptions>? configure = null)
    {
        KobbopayClientOptions options = new()
        {
            BaseAddress = sim.BaseAddress,
            ApiKey = sim.TestApiKey,
            Resilience = FastResilience(),
        };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>Short real-time delays so fault runs finish quickly; the breaker is off unless a test turns it on.</summary>
    public static KobbopayResilienceOptions FastResilience() => new()
    {
        RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        MaxRetryDelay = TimeSpan.FromMilliseconds(20),
        MaxRetryAttempts = 3,
        EnableCircuitBreaker = false,
    };

    public static KobbopayClient NewClient(KobbopaySimulator sim, Action<KobbopayClientOptions>? configure = null, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null) =>
        KobbopayClient.Create(Options(sim, configure), loggerFactory: loggerFactory, timeProvider: timeProvider);

    public static CreatePaymentRequest Request(string orderId, decimal amount = 10.50m, string currency = "USDT", string network = "example-network") => new()
    {
        Amount = amount,
        Currency = currency,
        Network = network,
        OrderId = orderId,
    };
}
