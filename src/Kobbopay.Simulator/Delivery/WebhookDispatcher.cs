using Microsoft.Extensions.Logging;

namespace Kobbopay.Simulator.Internal.Delivery;

/// <summary>
/// Delivers every event to every registered endpoint, at least once: signed, on the contract's
/// retry schedule (on the simulator's clock), with a real-time attempt timeout, seeded faults, and
/// a log of every attempt. Deliveries are independent: a failing or slow endpoint never holds up
/// another endpoint or a later event.
/// </summary>
/// <remarks>
/// One class in parts, a file a concern: this file holds the state, construction, the idle signal and disposal;
/// <c>WebhookDispatcher.Registry.cs</c> the endpoints; <c>WebhookDispatcher.Schedule.cs</c> the deliveries and when
/// their attempts start; <c>WebhookDispatcher.Resend.cs</c> an event sent again by its id; <c>WebhookDispatcher.Sending.cs</c> one attempt, signed and sent, and what follows from its
/// answer; <c>WebhookDispatcher.Faults.cs</c> the seeded webhook faults. An endpoint and a delivery are
/// <see cref="EndpointState"/> and <see cref="DeliveryState"/>.
/// </remarks>
internal sealed partial class WebhookDispatcher : IAsyncDisposable
{
    /// <summary>The lock: the collections, the faults, the generator, the idle signal and the count below, and every endpoint's and delivery's state, change only under it.</summary>
    private readonly object _gate = new();

    /// <summary>The simulator's clock: when attempts fall due.</summary>
    private readonly SimulatorClock _clock;

    /// <summary>The retry schedule, the attempt timeout and the wall clock that signatures are dated by.</summary>
    private readonly KobbopaySimulatorOptions _options;

    /// <summary>Where a 410 Gone that disables an endpoint is logged.</summary>
    private readonly ILogger _logger;

    /// <summary>Where each attempt is written as a line of the live console (<see cref="ConsoleLog"/>).</summary>
    private readonly ILogger _console;

    /// <summary>Sends the attempts; never follows a redirect.</summary>
    private readonly HttpClient _http;

    /// <summary>The registered endpoints, in the order they were added.</summary>
    private readonly List<EndpointState> _endpoints = [];

    /// <summary>Every delivery by its id.</summary>
    private readonly Dictionary<string, DeliveryState> _deliveries = new(StringComparer.Ordinal);

    /// <summary>Every delivery, oldest first (what <see cref="Deliveries"/> lists).</summary>
    private readonly List<DeliveryState> _order = [];

    /// <summary>The attempts to start, by when they fall due on the simulator's clock; an entry whose delivery was rescheduled or finished is stale and skipped.</summary>
    private readonly PriorityQueue<DeliveryState, DateTimeOffset> _due = new();

    /// <summary>Cancelled on disposal: stops the attempts under way.</summary>
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>The attempts under way, for disposal to wait for.</summary>
    private readonly HashSet<Task> _running = [];

    /// <summary>The webhook faults in force (<see cref="Faults"/>).</summary>
    private SimulatorWebhookFaultOptions _faults = SimulatorWebhookFaultOptions.None;

    /// <summary>Draws the faults, seeded by <see cref="Faults"/>.</summary>
    private Random _random = new(0);

    /// <summary>Set when no attempt is running (for <see cref="WhenIdleAsync"/>).</summary>
    private TaskCompletionSource _idle = NewIdleSignal();

    /// <summary>How many attempts are running.</summary>
    private int _inFlight;

    /// <summary>Takes the faults and the endpoints the options name, and starts the attempts that fall due whenever the clock advances.</summary>
    public WebhookDispatcher(KobbopaySimulatorOptions options, SimulatorClock clock, ILogger logger, ILogger console)
    {
        _options = options;
        _clock = clock;
        _logger = logger;
        _console = console;
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        Faults = options.WebhookFaults;
        foreach (SimulatorWebhookEndpointOptions endpoint in options.WebhookEndpoints)
        {
            Add(endpoint.Url!, endpoint.Secret, endpoint.Scheme, endpoint.Environment);
        }

        _clock.Advanced += _ => Pump();
    }

    /// <summary>Completes when no attempt is running and none is due at the current simulated time.</summary>
    public async Task WhenIdleAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task signal;
            lock (_gate)
            {
                bool dueNow = _due.TryPeek(out DeliveryState? d, out DateTimeOffset at) && at <= _clock.GetUtcNow() && d.Status == "pending" && !d.InFlight;
                if (_inFlight == 0 && !dueNow)
                {
                    return;
                }

                if (_idle.Task.IsCompleted)
                {
                    _idle = NewIdleSignal();
                }

                signal = _idle.Task;
            }

            if (signal.IsCompleted)
            {
                Pump();
                continue;
            }

            Pump();
            await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Cancels the attempts under way, waits for them to end, and releases the HTTP client.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        Task[] running;
        lock (_gate)
        {
            running = [.. _running];
        }

        try
        {
            await Task.WhenAll(running).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException)
        {
            // Shutting down: attempts in flight end here.
        }

        _http.Dispose();
        _stopping.Dispose();
    }

    /// <summary>A new idle signal, whose waiters go on off the thread that sets it.</summary>
    private static TaskCompletionSource NewIdleSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
