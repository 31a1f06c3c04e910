namespace Kobbopay.Simulator.Tests.TestSupport;

/// <summary>
/// The arrange step of the resend and console tests: receivers on loopback, the first <c>registered</c> of them
/// registered as endpoints, and one payment whose <c>payment.created</c> was delivered (and answered) before the test acts.
/// </summary>
internal sealed class WebhookScene : IAsyncDisposable
{
    private WebhookScene(SimulatorSession sim, List<WebhookReceiver> receivers)
    {
        Sim = sim;
        Receivers = receivers;
    }

    public SimulatorSession Sim { get; }

    public IReadOnlyList<WebhookReceiver> Receivers { get; }

    /// <summary>Gets the endpoints, in the order of <see cref="Receivers"/>.</summary>
    public IReadOnlyList<SimulatedWebhookEndpoint> Endpoints => Sim.WebhookEndpoints;

    /// <summary>Gets the first delivery made (of <c>payment.created</c>, to the first endpoint), when there was one.</summary>
    public SimulatedDelivery? Original { get; private set; }

    /// <summary>Gets the id of the payment's <c>payment.created</c>.</summary>
    public string EventId { get; private set; } = string.Empty;

    public static async Task<WebhookScene> StartAsync(int registered, int unregistered = 0, string scheme = "hmac-sha256-hex", Action<KobbopaySimulatorOptions>? configure = null)
    {
        List<WebhookReceiver> receivers = [];
        for (int i = 0; i < registered + unregistered; i++)
        {
            receivers.Add(await WebhookReceiver.StartAsync());
        }

        WebhookScene scene = new(await SimulatorSession.StartAsync(configure), receivers);
        foreach (WebhookReceiver receiver in receivers.Take(registered))
        {
            scene.Sim.AddWebhookEndpoint(receiver.Url, scheme: scheme);
        }

        string paymentId = await scene.Sim.CreateWeekLongPaymentAsync();
        await scene.Sim.WhenWebhooksIdleAsync();
        scene.EventId = (await scene.Sim.EventsOfAsync(paymentId)).Single().Str("id")!;
        scene.Original = scene.Sim.Deliveries.FirstOrDefault();
        return scene;
    }

    public async ValueTask DisposeAsync()
    {
        await Sim.DisposeAsync();
        foreach (WebhookReceiver receiver in Receivers)
        {
            await receiver.DisposeAsync();
        }
    }
}
