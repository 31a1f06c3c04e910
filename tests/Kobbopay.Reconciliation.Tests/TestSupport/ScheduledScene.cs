using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Kobbopay.Reconciliation.Tests.TestSupport;

/// <summary>
/// Scheduled reconciliation as an app runs it: hosts with <c>AddKobbopayReconciliation</c> on one fake clock, which the
/// simulator's wall-clock mode follows too, a real client over HTTP, the books, and the runs counted from the meter.
/// </summary>
internal sealed class ScheduledScene : IAsyncDisposable
{
    /// <summary>Half past ten: the first run starts mid-interval, the next at eleven.</summary>
    public static readonly DateTimeOffset Epoch = new(2026, 12, 1, 10, 30, 0, TimeSpan.Zero);

    /// <summary>The settle time of <see cref="Hourly"/>: a run's period ends this long before it starts.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromMinutes(1);

    private readonly List<IHost> _hosts = [];

    private ScheduledScene(KobbopaySimulator simulator, FakeTimeProvider time)
    {
        Simulator = simulator;
        Time = time;
    }

    public KobbopaySimulator Simulator { get; }

    public FakeTimeProvider Time { get; }

    public InMemoryOrderLedger Ledger { get; } = new();

    public CollectingReports Reports { get; } = new();

    /// <summary>Counts every run of every host, by outcome (the meter is static: one scene at a time, see <see cref="ScheduledCollection"/>).</summary>
    public MetricCollector<long> Runs { get; } = new(null, KobbopayReconciler.MeterName, "kobbopay.reconciliation.runs");

    public MetricCollector<long> Exceptions { get; } = new(null, KobbopayReconciler.MeterName, "kobbopay.reconciliation.exceptions");

    public MetricCollector<double> Lag { get; } = new(null, KobbopayReconciler.MeterName, "kobbopay.reconciliation.lag");

    public static async Task<ScheduledScene> StartAsync()
    {
        FakeTimeProvider time = new(Epoch);
        KobbopaySimulator simulator = await KobbopaySimulator.StartAsync(new KobbopaySimulatorOptions { ClockMode = SimulatorClockMode.Wall, WallClock = time }, Ct);
        return new ScheduledScene(simulator, time);
    }

    /// <summary>Places an order in the books now.</summary>
    public void Order(string orderId, string status, decimal amount = 10.50m) =>
        Ledger.Add(new LedgerOrder(orderId, amount, "USDT", status), Time.GetUtcNow());

    public async Task<string> PayInAsync(string orderId, decimal amount = 10.50m)
    {
        KobbopayClient client = KobbopayClient.Create(new KobbopayClientOptions { BaseAddress = Simulator.BaseAddress, ApiKey = Simulator.TestApiKey }, timeProvider: Time);
        Payment payment = await client.CreatePaymentAsync(
            new CreatePaymentRequest { Amount = amount, Currency = "USDT", Network = "example-network", OrderId = orderId }, cancellationToken: Ct);
        return payment.Id;
    }

    /// <summary>Builds a host (an app instance) with scheduled reconciliation, and starts it.</summary>
    public async Task<IHost> StartInstanceAsync(Action<KobbopayReconciliationOptions> configure, Action<KobbopayReconciliationBuilder>? store = null, bool withLedger = true)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddLogging();
        AddClient(builder.Services);
        if (withLedger)
        {
            builder.Services.AddSingleton<IOrderLedger>(Ledger);
        }

        builder.Services.AddSingleton<IReconciliationSink>(Reports);
        store?.Invoke(builder.Services.AddKobbopayReconciliation(configure));
        if (store is null)
        {
            builder.Services.AddKobbopayReconciliation(configure);
        }

        IHost host = builder.Build();
        try
        {
            await host.StartAsync(Ct);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        _hosts.Add(host);
        return host;
    }

    /// <summary>Waits until the hosts have made <paramref name="count"/> runs in all (whatever their outcome).</summary>
    public Task WhenRunsAsync(int count) => Runs.WaitForMeasurementsAsync(count, TimeSpan.FromSeconds(30));

    /// <summary>The summaries of the completed runs, in order.</summary>
    public ReconciliationSummary[] Summaries() => [.. Reports.Summaries];

    /// <summary>The runs so far, by outcome.</summary>
    public (long Completed, long Skipped, long Failed) Outcomes()
    {
        IReadOnlyList<CollectedMeasurement<long>> all = Runs.GetMeasurementSnapshot();
        return (Count("completed"), Count("skipped"), Count("failed"));

        long Count(string outcome) => all.Where(m => m.Tags["outcome"] as string == outcome).Sum(m => m.Value);
    }

    /// <summary>The schedule the tests use: every hour, a day back, settled a minute.</summary>
    public static void Hourly(KobbopayReconciliationOptions options)
    {
        options.Interval = TimeSpan.FromHours(1);
        options.Lookback = TimeSpan.FromDays(1);
        options.SettleTime = Settle;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (IHost host in _hosts)
        {
            await host.StopAsync(CancellationToken.None);
            host.Dispose();
        }

        Runs.Dispose();
        Exceptions.Dispose();
        Lag.Dispose();
        await Simulator.DisposeAsync();
    }

    private void AddClient(IServiceCollection services)
    {
        services.AddSingleton<TimeProvider>(Time);
        services.AddKobbopayClient(o =>
        {
            o.BaseAddress = Simulator.BaseAddress;
            o.ApiKey = Simulator.TestApiKey;
        });
    }
}
