using Kobbopay.Simulator.Internal;
using Microsoft.AspNetCore.Builder;
using WireMock.Logging;
using WireMock.Server;
using WireMock.Settings;

namespace Kobbopay.Simulator;

/// <summary>
/// A running simulator: the Kobbopay payment API on a WireMock.Net server, with its lifecycle engine, virtual clock,
/// fault injection, control API and WireMock's own admin API (stubs, request journal, reset) on the same port. Start
/// one per test with <see cref="StartAsync"/> and dispose it when done.
/// </summary>
/// <example>
/// <code>
/// await using var sim = await KobbopaySimulator.StartAsync();
/// using var http = new HttpClient { BaseAddress = sim.BaseAddress };
/// http.DefaultRequestHeaders.Add("x-api-key", sim.TestApiKey);
/// </code>
/// </example>
public sealed class KobbopaySimulator : IAsyncDisposable
{
    private readonly WireMockServer _server;
    private readonly EngineHost _engine;
    private readonly SimulatorState _state;
    private readonly ITimer? _sweeper;
    private int _disposed;

    private KobbopaySimulator(WireMockServer server, EngineHost engine, Uri baseAddress)
    {
        _server = server;
        _engine = engine;
        _state = engine.State;
        BaseAddress = baseAddress;
        SimulatorState state = _state;
        IReadOnlyList<SimulatorEnvironmentOptions> environments = state.Options.EffectiveEnvironments();
        TestApiKey = environments.FirstOrDefault(e => !e.IsProduction)?.ApiKeys[0] ?? string.Empty;
        LiveApiKey = environments.FirstOrDefault(e => e.IsProduction)?.ApiKeys[0];
        if (state.Clock.Mode == SimulatorClockMode.Wall)
        {
            // Following wall time, expiries fall due by themselves: look for them every second.
            _sweeper = TimeProvider.System.CreateTimer(
                _ =>
                {
                    state.Engine.RunDue(state.Clock.GetUtcNow());
                    state.Dispatcher.Pump();
                },
                null,
                TimeSpan.FromSeconds(1),
                TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>Gets the simulator's base address, with a trailing slash, for example <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Gets the first API key of the first non-production environment, or an empty string when every environment is production.</summary>
    public string TestApiKey { get; }

    /// <summary>Gets the first API key of the first production environment, or <see langword="null"/> when none is hosted.</summary>
    public string? LiveApiKey { get; }

    /// <summary>Gets the simulator's clock.</summary>
    public SimulatorClock Clock => _state.Clock;

    /// <summary>
    /// Gets the WireMock.Net server the simulator runs on, for stubs in code
    /// (<c>sim.Server.Given(Request.Create()...).AtPriority(0).RespondWith(...)</c>) and its request journal. A stub
    /// with a priority below 1,000 (WireMock's default is 0) overrides the lifecycle route it matches. Its admin API is
    /// served under <c>/__admin</c> on <see cref="BaseAddress"/>.
    /// </summary>
    public WireMockServer Server => _server;

    /// <summary>Gets or sets the API fault injection. Setting it replaces the settings at once and reseeds the generator.</summary>
    /// <exception cref="ArgumentException">A rate is outside 0 to 1, or the rates add up to more than 1.</exception>
    public SimulatorFaultOptions Faults
    {
        get => _state.Faults.Options;
        set => _state.Faults.Options = value;
    }

    /// <summary>
    /// Gets the requests received so far, oldest first, read from WireMock's request journal (the one
    /// <c>GET /__admin/requests</c> lists), which keeps the last <see cref="KobbopaySimulatorOptions.RecordedRequestCapacity"/>.
    /// </summary>
    public IReadOnlyList<RecordedRequest> Requests => _state.Journal.Snapshot();

    /// <summary>Gets how many payments the simulator holds, across its environments.</summary>
    public int PaymentCount => _state.Engine.PaymentCount;

    /// <summary>Gets the simulator's state, for the scenario runner in process.</summary>
    internal SimulatorState State => _state;

    /// <summary>Starts a simulator on a WireMock.Net server (Kestrel).</summary>
    /// <param name="options">The settings; <see langword="null"/> for the defaults (a free loopback port, manual clock, the <c>test</c> environment).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running simulator.</returns>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it.</exception>
    /// <exception cref="SimulatorException">The server could not start (for example, the port is taken) or a mapping file of <see cref="KobbopaySimulatorOptions.MappingsDirectory"/> is invalid; the message says which.</exception>
    public static async Task<KobbopaySimulator> StartAsync(KobbopaySimulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new KobbopaySimulatorOptions();
        options.Validate();
        cancellationToken.ThrowIfCancellationRequested();

        EngineHost engine = EngineHost.Create(options);
        SimulatorState state = engine.State;
        AdminGuard admin = new() { MappingsDirectory = options.MappingsDirectory };
        SimulatorEdge edge = new(state, admin, engine.CreateLogger("Kobbopay.Simulator.Edge"));
        string host = options.ListenAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{options.ListenAddress}]" : options.ListenAddress.ToString();
        WireMockServerSettings settings = new()
        {
            Urls = [$"http://{host}:{options.Port}"],
            StartAdminInterface = true,
            MaxRequestLogCount = RequestJournal.WireMockLimit(options.RecordedRequestCapacity),
            Logger = new WireMockNullLogger(),
            PreWireMockMiddlewareInit = app => ((IApplicationBuilder)app).Use(next => context => edge.InvokeAsync(context, next)),
        };

        WireMockServer server;
        try
        {
            server = await Task.Run(() => WireMockServer.Start(settings), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await engine.DisposeAsync().ConfigureAwait(false);
            throw new SimulatorException($"The simulator could not listen on {settings.Urls[0]}: {ex.GetBaseException().Message}", ex);
        }

        try
        {
            admin.Server = server;
            AdminSurface.Narrow(server);
            admin.Lifecycle = new LifecycleMappings(engine.AnswerAsync, options.ProxyTo, options.RecordProxiedAnswers, options.ApiKeyHeaderName);
            state.Journal.Attach(server, options.RecordedRequestCapacity);
            admin.Journal = state.Journal;
            admin.Lifecycle.EnsureRegistered(server);
            if (options.MappingsDirectory is { } folder)
            {
                MappingFiles.Load(server, folder);
            }
        }
        catch
        {
            server.Stop();
            server.Dispose();
            await engine.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        // The address it was told to listen on, with the port it got (WireMock's own Url says "localhost", which may resolve to another address).
        Uri baseAddress = new($"http://{host}:{server.Ports[0]}/");
        state.Engine.SetBaseAddress(baseAddress);
        return new KobbopaySimulator(server, engine, baseAddress);
    }

    /// <summary>Gets a snapshot of a payment.</summary>
    /// <param name="paymentId">The payment id.</param>
    /// <returns>The payment as it is now.</returns>
    /// <exception cref="SimulatorException">No payment has that id (<c>payment_not_found</c>).</exception>
    public SimulatedPayment GetPayment(string paymentId)
    {
        ArgumentNullException.ThrowIfNull(paymentId);
        return _state.Engine.Snapshot(paymentId);
    }

    /// <summary>Makes funds arrive for a payment: a partial amount keeps it pending, the full amount (or more) makes it paid, funds after expiry are a late payment.</summary>
    /// <param name="paymentId">The payment id.</param>
    /// <param name="amount">The amount arriving; <see langword="null"/> for whatever is still owed.</param>
    /// <param name="txHash">The transaction hash; <see langword="null"/> for a random one.</param>
    /// <returns>The payment after the funds arrived.</returns>
    /// <exception cref="SimulatorException">No such payment, nothing is owed and no amount was given, or the amount is not positive.</exception>
    public SimulatedPayment Pay(string paymentId, decimal? amount = null, string? txHash = null)
    {
        ArgumentNullException.ThrowIfNull(paymentId);
        return _state.Engine.Pay(paymentId, amount, txHash);
    }

    /// <summary>Confirms a paid payment.</summary>
    /// <param name="paymentId">The payment id.</param>
    /// <param name="confirmations">The confirmations counted; <see langword="null"/> for <see cref="KobbopaySimulatorOptions.RequiredConfirmations"/>.</param>
    /// <returns>The confirmed payment.</returns>
    /// <exception cref="SimulatorException">No such payment, or it is not paid (<c>invalid_transition</c>).</exception>
    public SimulatedPayment Confirm(string paymentId, int? confirmations = null)
    {
        ArgumentNullException.ThrowIfNull(paymentId);
        return _state.Engine.Confirm(paymentId, confirmations);
    }

    /// <summary>Expires a pending payment (or a paid one where <see cref="KobbopaySimulatorOptions.AllowPaidToExpire"/> is set).</summary>
    /// <param name="paymentId">The payment id.</param>
    /// <returns>The expired payment.</returns>
    /// <exception cref="SimulatorException">No such payment, or it cannot expire from its status (<c>invalid_transition</c>).</exception>
    public SimulatedPayment Expire(string paymentId)
    {
        ArgumentNullException.ThrowIfNull(paymentId);
        return _state.Engine.Expire(paymentId);
    }

    /// <summary>Gets the webhook endpoints, with their secrets (test secrets, the simulator's to share).</summary>
    public IReadOnlyList<SimulatedWebhookEndpoint> WebhookEndpoints => _state.Dispatcher.Endpoints;

    /// <summary>Gets every webhook delivery so far, with its attempts, oldest first.</summary>
    public IReadOnlyList<SimulatedDelivery> Deliveries => _state.Dispatcher.Deliveries;

    /// <summary>Gets or sets the webhook delivery faults. Setting them reseeds the generator.</summary>
    /// <exception cref="ArgumentException">A rate is outside 0 to 1.</exception>
    public SimulatorWebhookFaultOptions WebhookFaults
    {
        get => _state.Dispatcher.Faults;
        set => _state.Dispatcher.Faults = value;
    }

    /// <summary>Registers a webhook endpoint; every later event is delivered to it.</summary>
    /// <param name="url">Where to deliver.</param>
    /// <param name="secret">The signing secret; <see langword="null"/> for a generated one (read it from the result).</param>
    /// <param name="scheme"><c>hmac-sha256-hex</c> or <c>standard-webhooks</c>.</param>
    /// <param name="environment">The environment whose events it receives; <see langword="null"/> for all.</param>
    /// <returns>The endpoint, with its secret.</returns>
    /// <exception cref="SimulatorException">The address, scheme or secret is invalid.</exception>
    public SimulatedWebhookEndpoint AddWebhookEndpoint(Uri url, string? secret = null, string scheme = "hmac-sha256-hex", string? environment = null) =>
        _state.Dispatcher.Add(url, secret, scheme, environment);

    /// <summary>Delivers an event to its endpoint again, now, whatever became of earlier attempts.</summary>
    /// <param name="deliveryId">The delivery id.</param>
    /// <returns>The delivery.</returns>
    /// <exception cref="SimulatorException">No delivery has that id (<c>delivery_not_found</c>), or its endpoint was removed (<c>endpoint_not_found</c>) or is disabled (<c>endpoint_disabled</c>: enable it first).</exception>
    public SimulatedDelivery Redeliver(string deliveryId) => _state.Dispatcher.Redeliver(deliveryId);

    /// <summary>
    /// Sends an event again by its id, as new deliveries (a new <c>dlv_</c> id, the event's same body bytes, a new
    /// <c>x-delivery-id</c> per attempt, retried on the schedule like any delivery). With neither
    /// <paramref name="url"/> nor <paramref name="endpointId"/>, to every enabled endpoint that takes the event's
    /// environment; with <paramref name="endpointId"/>, to that endpoint; with <paramref name="url"/>, to that address,
    /// which is not registered as an endpoint, signed with the secret and scheme of the first endpoint that takes the
    /// environment (<see cref="ResendEvent(string, Uri, string, string)"/> gives them). Same as
    /// <c>POST /_sim/events/{eventId}/resend</c>.
    /// </summary>
    /// <param name="eventId">The event id (<c>evt_…</c>).</param>
    /// <param name="url">A one-off address to send it to; <see langword="null"/> for the registered endpoints.</param>
    /// <param name="endpointId">The one endpoint to send it to; <see langword="null"/> for every endpoint of the event's environment.</param>
    /// <returns>The new deliveries, their first attempts under way (<see cref="WhenWebhooksIdleAsync"/> waits for them); none when no enabled endpoint takes the environment.</returns>
    /// <exception cref="SimulatorException">
    /// No event has that id (<c>event_not_found</c>); no endpoint has <paramref name="endpointId"/> (<c>endpoint_not_found</c>)
    /// or it is disabled (<c>endpoint_disabled</c>); both <paramref name="url"/> and <paramref name="endpointId"/> were
    /// given, the address is not absolute http(s), or no endpoint takes the environment to sign a one-off address with
    /// (<c>invalid_request</c>).
    /// </exception>
    public IReadOnlyList<SimulatedDelivery> ResendEvent(string eventId, Uri? url = null, string? endpointId = null)
    {
        ArgumentNullException.ThrowIfNull(eventId);
        return _state.Resend(eventId, url, endpointId, secret: null, scheme: null);
    }

    /// <summary>Sends an event again by its id to a one-off address, signed with the secret and scheme given (see <see cref="ResendEvent(string, Uri?, string?)"/>).</summary>
    /// <param name="eventId">The event id (<c>evt_…</c>).</param>
    /// <param name="url">The address to send it to; it is not registered as an endpoint.</param>
    /// <param name="secret">The signing secret, in the scheme's form.</param>
    /// <param name="scheme"><c>hmac-sha256-hex</c> or <c>standard-webhooks</c>.</param>
    /// <returns>The new delivery, its first attempt under way.</returns>
    /// <exception cref="SimulatorException">No event has that id (<c>event_not_found</c>), or the address, scheme or secret is invalid (<c>invalid_request</c>).</exception>
    public SimulatedDelivery ResendEvent(string eventId, Uri url, string secret, string scheme)
    {
        ArgumentNullException.ThrowIfNull(eventId);
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(scheme);
        return _state.Resend(eventId, url, endpointId: null, secret, scheme)[0];
    }

    /// <summary>
    /// Clears payments, events, idempotency keys, deliveries and recorded requests, so a test suite can reuse one
    /// simulator. Webhook endpoints, faults, API keys, rails and the clock stay; cursors from before the reset are not
    /// valid after it. Same as <c>POST /_sim/reset</c>.
    /// </summary>
    public void Reset() => _state.Reset();

    /// <summary>Enables a webhook endpoint again, for example one that answered 410 Gone and was disabled.</summary>
    /// <param name="endpointId">The endpoint id.</param>
    /// <returns>The endpoint, enabled.</returns>
    /// <exception cref="SimulatorException">No endpoint has that id (<c>endpoint_not_found</c>).</exception>
    public SimulatedWebhookEndpoint EnableWebhookEndpoint(string endpointId) => _state.Dispatcher.Enable(endpointId);

    /// <summary>Waits until no delivery attempt is running and none is due at the current simulated time: the point to assert on after driving payments or advancing the clock.</summary>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <returns>A task that completes when deliveries are idle.</returns>
    public Task WhenWebhooksIdleAsync(CancellationToken cancellationToken = default) => _state.Dispatcher.WhenIdleAsync(cancellationToken);

    /// <summary>Forgets the recorded requests.</summary>
    public void ClearRequests() => _state.Journal.Clear();

    /// <summary>Stops the server and releases its port.</summary>
    /// <returns>A task that completes when the simulator has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_sweeper is not null)
        {
            await _sweeper.DisposeAsync().ConfigureAwait(false);
        }

        _server.Stop();
        _server.Dispose();
        await _engine.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override string ToString() => $"Kobbopay simulator at {BaseAddress} ({_state.Clock})";
}
