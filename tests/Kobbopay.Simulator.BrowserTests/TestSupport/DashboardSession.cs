using System.Net.Http.Json;
using System.Text.Json;

namespace Kobbopay.Simulator.BrowserTests.TestSupport;

/// <summary>A simulator in process, a client with its test API key, and a page at its dashboard.</summary>
internal sealed class DashboardSession : IAsyncDisposable
{
    private readonly List<Receiver> _receivers = [];

    private DashboardSession(KobbopaySimulator simulator, HttpClient api, IPage page)
    {
        Simulator = simulator;
        Api = api;
        Page = page;
    }

    public static DateTimeOffset Start { get; } = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public KobbopaySimulator Simulator { get; }

    public HttpClient Api { get; }

    public IPage Page { get; }

    /// <summary>
    /// Starts a simulator (manual clock) with a webhook receiver on loopback Kestrel for each status in
    /// <paramref name="answers"/> (registered in that order, then <paramref name="otherEndpoints"/>), and opens its dashboard.
    /// </summary>
    public static async Task<DashboardSession> StartAsync(BrowserFixture browser, int[]? answers = null, Uri[]? otherEndpoints = null, string? adminToken = null)
    {
        IPage page = await browser.NewPageAsync(); // skips before anything starts when there is no browser
        KobbopaySimulator simulator = await KobbopaySimulator.StartAsync(new KobbopaySimulatorOptions { ClockStart = Start, AdminToken = adminToken }, Ct);
        DashboardSession session = new(simulator, SimulatorHttp.CreateClient(simulator.BaseAddress, simulator.TestApiKey), page);
        foreach (int status in answers ?? [])
        {
            Receiver receiver = await Receiver.StartAsync(status, Ct);
            session._receivers.Add(receiver);
            simulator.AddWebhookEndpoint(receiver.Url);
        }

        foreach (Uri endpoint in otherEndpoints ?? [])
        {
            simulator.AddWebhookEndpoint(endpoint);
        }

        await page.GotoAsync(new Uri(simulator.BaseAddress, "/_sim/ui").ToString());
        return session;
    }

    /// <summary>Creates a payment through the API (<c>POST /v1/payments</c> with the test key) and returns its id.</summary>
    public async Task<string> CreatePaymentAsync(string amount = "10.50")
    {
        using HttpResponseMessage response = await Api.PostAsJsonAsync(
            "v1/payments",
            new { amount, currency = "USDT", network = "example-network", orderId = "order-" + Guid.NewGuid().ToString("N")[..8], expiresInSeconds = 604800 },
            Ct);
        string body = await response.Content.ReadAsStringAsync(Ct);
        ((int)response.StatusCode).ShouldBe(201, body);
        using JsonDocument json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Creates a payment through the API, waits for the dashboard to list it, and opens it.</summary>
    public async Task<string> CreateAndSelectAsync()
    {
        string id = await CreatePaymentAsync();
        await Expect(PaymentRow(id)).ToBeVisibleAsync();
        await SelectAsync(id);
        return id;
    }

    /// <summary>Clicks the button with this accessible name.</summary>
    public Task ClickAsync(string name) => Page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true }).ClickAsync();

    /// <summary>The row of a payment in the payments table.</summary>
    public ILocator PaymentRow(string id) => Page.Locator($"#payments-table tbody tr[data-payment-id='{id}']");

    /// <summary>Opens a payment's details by its row's button.</summary>
    public async Task SelectAsync(string id)
    {
        await Page.GetByRole(AriaRole.Button, new() { Name = "Show payment " + id, Exact = true }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Payment " + id, Exact = true })).ToBeVisibleAsync();
    }

    public ILocator DetailStatus => Page.Locator("#detail-status");

    /// <summary>The rows of a delivery's attempts (attempt number 0: none yet).</summary>
    public ILocator AttemptRows => Page.Locator("#deliveries-table tbody tr[data-attempt]");

    /// <summary>The receivers registered as endpoints, in the order of <c>answers</c>.</summary>
    public IReadOnlyList<Receiver> Receivers => _receivers;

    public async ValueTask DisposeAsync()
    {
        await Page.Context.CloseAsync();
        Api.Dispose();
        await Simulator.DisposeAsync();
        foreach (Receiver receiver in _receivers)
        {
            await receiver.DisposeAsync();
        }
    }
}
