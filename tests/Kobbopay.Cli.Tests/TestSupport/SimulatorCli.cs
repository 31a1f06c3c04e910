namespace Kobbopay.Cli.Tests.TestSupport;

/// <summary>A simulator in process, a client on it to make payments, and the CLI's environment pointing at it.</summary>
internal sealed class SimulatorCli : IAsyncDisposable
{
    private SimulatorCli(KobbopaySimulator simulator)
    {
        Simulator = simulator;
        Client = KobbopayClient.Create(new KobbopayClientOptions { BaseAddress = simulator.BaseAddress, ApiKey = simulator.TestApiKey });
        Environment = new Dictionary<string, string>
        {
            ["KOBBOPAY_BASE_ADDRESS"] = simulator.BaseAddress.ToString(),
            ["KOBBOPAY_API_KEY"] = simulator.TestApiKey,
        };
    }

    public KobbopaySimulator Simulator { get; }

    public KobbopayClient Client { get; }

    /// <summary>Gets the CLI's environment: base address and key of the simulator.</summary>
    public Dictionary<string, string> Environment { get; }

    public static async Task<SimulatorCli> StartAsync() =>
        new(await KobbopaySimulator.StartAsync(cancellationToken: TestContext.Current.CancellationToken));

    /// <summary>Creates a payment for <paramref name="orderId"/> of 10.00 USDT.</summary>
    public Task<Payment> CreatePaymentAsync(string orderId) => Client.CreatePaymentAsync(
        new CreatePaymentRequest { Amount = 10.00m, Currency = "USDT", Network = "example-network", OrderId = orderId },
        cancellationToken: TestContext.Current.CancellationToken);

    /// <summary>Creates a payment of 10.00 USDT for each of <paramref name="orderIds"/>, in order.</summary>
    public async Task<Payment[]> CreatePaymentsAsync(params string[] orderIds)
    {
        List<Payment> payments = [];
        foreach (string orderId in orderIds)
        {
            payments.Add(await CreatePaymentAsync(orderId));
        }

        return [.. payments];
    }

    /// <summary>Runs <c>kobbopay</c> against the simulator.</summary>
    public Task<CliRun> RunAsync(params string[] args) => CliRun.RunAsync(Environment, args);

    /// <summary>Runs <c>kobbopay</c> against the simulator, on the simulator's clock: "now" is the simulator's time.</summary>
    public Task<CliRun> RunOnItsClockAsync(params string[] args) => CliRun.RunAsync(Environment, args, clock: Simulator.Clock);

    public ValueTask DisposeAsync() => Simulator.DisposeAsync();
}
