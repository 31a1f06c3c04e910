using System.Text.Json;

namespace Kobbopay.Simulator.Tests.TestSupport;

/// <summary>
/// One simulator started for one test, with the two clients nearly every test needs: <see cref="Api"/> (the test API
/// key) and <see cref="Control"/> (no key, for <c>/_sim</c> and <c>/__admin</c>). The simulator's in-process members a
/// test drives are forwarded, so a test reads <c>sim.Pay(id)</c> whether it holds the session or the simulator.
/// </summary>
internal sealed class SimulatorSession : IAsyncDisposable
{
    private SimulatorSession(KobbopaySimulator simulator)
    {
        Simulator = simulator;
        Api = simulator.CreateClient();
        Control = simulator.CreateAnonymousClient();
    }

    public KobbopaySimulator Simulator { get; }

    /// <summary>Gets a client with the simulator's test API key.</summary>
    public HttpClient Api { get; }

    /// <summary>Gets a client with no API key: the control API, the admin API, and calls that must be refused.</summary>
    public HttpClient Control { get; }

    public string TestApiKey => Simulator.TestApiKey;

    public string? LiveApiKey => Simulator.LiveApiKey;

    public SimulatorClock Clock => Simulator.Clock;

    public int PaymentCount => Simulator.PaymentCount;

    public IReadOnlyList<RecordedRequest> Requests => Simulator.Requests;

    public IReadOnlyList<SimulatedDelivery> Deliveries => Simulator.Deliveries;

    public IReadOnlyList<SimulatedWebhookEndpoint> WebhookEndpoints => Simulator.WebhookEndpoints;

    public SimulatorFaultOptions Faults
    {
        get => Simulator.Faults;
        set => Simulator.Faults = value;
    }

    public SimulatorWebhookFaultOptions WebhookFaults
    {
        get => Simulator.WebhookFaults;
        set => Simulator.WebhookFaults = value;
    }

    /// <summary>Starts a simulator with <see cref="Sim.Options"/>, changed by <paramref name="configure"/> when given.</summary>
    public static async Task<SimulatorSession> StartAsync(Action<KobbopaySimulatorOptions>? configure = null)
    {
        var options = Sim.Options();
        configure?.Invoke(options);
        return new SimulatorSession(await KobbopaySimulator.StartAsync(options, Sim.Ct));
    }

    /// <summary>Starts a simulator whose API answers with <paramref name="faults"/> from the first request.</summary>
    public static Task<SimulatorSession> StartWithFaultsAsync(SimulatorFaultOptions faults) => StartAsync(o => o.Faults = faults);

    /// <summary>Creates another client that sends <paramref name="apiKey"/> (or no key) in <paramref name="apiKeyHeaderName"/>.</summary>
    public HttpClient CreateClient(string? apiKey, string apiKeyHeaderName = SimulatorHttp.DefaultApiKeyHeaderName)
        => SimulatorHttp.CreateClient(Simulator.BaseAddress, apiKey, apiKeyHeaderName);

    /// <summary>Creates a client for the control and admin APIs that sends <c>Authorization: Bearer <paramref name="token"/></c>.</summary>
    public HttpClient CreateAdminClient(string token) => Simulator.CreateAdminClient(token);

    public void ClearRequests() => Simulator.ClearRequests();

    public SimulatedPayment Pay(string paymentId, decimal? amount = null, string? txHash = null) => Simulator.Pay(paymentId, amount, txHash);

    public SimulatedPayment Confirm(string paymentId, int? confirmations = null) => Simulator.Confirm(paymentId, confirmations);

    public SimulatedPayment Expire(string paymentId) => Simulator.Expire(paymentId);

    public SimulatedPayment GetPayment(string paymentId) => Simulator.GetPayment(paymentId);

    public SimulatedWebhookEndpoint AddWebhookEndpoint(Uri url, string? secret = null, string scheme = "hmac-sha256-hex")
        => Simulator.AddWebhookEndpoint(url, secret, scheme);

    public Task WhenWebhooksIdleAsync() => Simulator.WhenWebhooksIdleAsync(Sim.Ct);

    /// <summary>Advances the virtual clock and waits until every webhook attempt that came due has run.</summary>
    public async Task AdvanceAndDeliverAsync(TimeSpan by)
    {
        Simulator.Clock.Advance(by);
        await Simulator.WhenWebhooksIdleAsync(Sim.Ct);
    }

    /// <summary>Creates a payment over the API (201 or the test fails) and returns its id.</summary>
    public async Task<string> CreatePaymentAsync(string? body = null, string? idempotencyKey = null)
        => (await Payments.CreateAsync(Api, body, idempotencyKey)).Str("id")!;

    /// <summary>Creates a payment over the API (201 or the test fails) and returns it as the API answered.</summary>
    public Task<JsonElement> CreatePaymentJsonAsync(string? body = null, string? idempotencyKey = null)
        => Payments.CreateAsync(Api, body, idempotencyKey);

    /// <summary>Reads a payment over the API (200 or the test fails).</summary>
    public Task<JsonElement> ReadPaymentAsync(string paymentId) => Payments.GetAsync(Api, paymentId);

    /// <summary>Creates a payment over the API and pays what it asks for; returns its id.</summary>
    public async Task<string> CreatePaidPaymentAsync(string? body = null)
    {
        var id = await CreatePaymentAsync(body);
        Simulator.Pay(id);
        return id;
    }

    /// <summary>Creates <paramref name="count"/> payments one after the other; their ids in creation order.</summary>
    public async Task<List<string>> CreatePaymentsAsync(int count)
    {
        List<string> ids = [];
        for (var i = 0; i < count; i++)
        {
            ids.Add(await CreatePaymentAsync());
        }

        return ids;
    }

    /// <summary>Sends <c>POST /v1/payments</c> with the test key and returns the answer, whatever it is.</summary>
    public Task<ApiResponse> PostPaymentAsync(string? body = null, string? idempotencyKey = null)
        => Payments.PostAsync(Api, body ?? Payments.Body(), idempotencyKey);

    /// <summary>Sends <c>GET</c> to an API path with the test key.</summary>
    public Task<ApiResponse> GetAsync(string path) => Api.GetApiAsync(path, Sim.Ct);

    /// <summary>Sends <c>GET</c> to a control or admin path without a key.</summary>
    public Task<ApiResponse> ControlGetAsync(string path) => Control.GetApiAsync(path, Sim.Ct);

    /// <summary>Sends <c>POST</c> to a control or admin path without a key; no body unless <paramref name="json"/> is given.</summary>
    public Task<ApiResponse> ControlPostAsync(string path, string? json = null) => Control.PostJsonAsync(path, json, Sim.Ct);

    /// <summary>Sends <c>PUT</c> to a control or admin path without a key.</summary>
    public Task<ApiResponse> ControlPutAsync(string path, string json) => Control.PutJsonAsync(path, json, Sim.Ct);

    /// <summary>Sends <c>DELETE</c> to a control or admin path without a key.</summary>
    public Task<ApiResponse> ControlDeleteAsync(string path) => Control.DeleteApiAsync(path, Sim.Ct);

    /// <summary>Every event of one payment, oldest first, read through <c>GET /v1/events</c>.</summary>
    public Task<List<JsonElement>> EventsOfAsync(string paymentId) => Payments.EventsOfAsync(Api, paymentId);

    /// <summary>The types of one payment's events, oldest first.</summary>
    public async Task<List<string?>> EventTypesOfAsync(string paymentId)
        => [.. (await EventsOfAsync(paymentId)).Select(e => e.Str("type"))];

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        Control.Dispose();
        await Simulator.DisposeAsync();
    }
}
