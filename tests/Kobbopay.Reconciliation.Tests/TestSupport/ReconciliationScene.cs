namespace Kobbopay.Reconciliation.Tests.TestSupport;

/// <summary>A simulator in process (manual clock), a real client on it, and the merchant's books; the reconciler reads the simulator's clock.</summary>
internal sealed class ReconciliationScene : IAsyncDisposable
{
    private ReconciliationScene(KobbopaySimulator simulator, KobbopayClient client)
    {
        Simulator = simulator;
        Client = client;
        Start = simulator.Clock.GetUtcNow();
    }

    public KobbopaySimulator Simulator { get; }

    public KobbopayClient Client { get; }

    public InMemoryOrderLedger Ledger { get; } = new();

    public DateTimeOffset Start { get; }

    public static async Task<ReconciliationScene> StartAsync()
    {
        KobbopaySimulator simulator = await KobbopaySimulator.StartAsync(cancellationToken: Ct);
        KobbopayClient client = KobbopayClient.Create(new KobbopayClientOptions { BaseAddress = simulator.BaseAddress, ApiKey = simulator.TestApiKey });
        return new ReconciliationScene(simulator, client);
    }

    /// <summary>Places an order in the books now.</summary>
    public void Order(string orderId, string status, decimal amount = 10.50m, string currency = "USDT") =>
        Ledger.Add(new LedgerOrder(orderId, amount, currency, status), Simulator.Clock.GetUtcNow());

    /// <summary>Creates a payment at the gateway through the public API.</summary>
    public async Task<string> PayInAsync(string orderId, decimal amount = 10.50m, string currency = "USDT")
    {
        Payment payment = await Client.CreatePaymentAsync(
            new CreatePaymentRequest { Amount = amount, Currency = currency, Network = currency == "USDT" ? "example-network" : "ethereum", OrderId = orderId },
            cancellationToken: Ct);
        return payment.Id;
    }

    /// <summary>Reconciles the day from the scene's start.</summary>
    public async Task<CollectingSink> ReconcileAsync(OrderStatusMapping? mapping = null, IProgress<ReconciliationProgress>? progress = null)
    {
        CollectingSink sink = new();
        KobbopayReconciler reconciler = new(Client, Ledger, mapping ?? OrderStatusMapping.Identity, Simulator.Clock);
        await reconciler.RunAsync(new ReconciliationRequest { From = Start.AddMinutes(-1), To = Start.AddDays(1), Progress = progress }, sink, Ct);
        return sink;
    }

    public ValueTask DisposeAsync() => Simulator.DisposeAsync();
}
