using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Kobbopay.Webhooks;
using Microsoft.Extensions.Logging;
using Kobbopay.Contracts;

namespace Kobbopay.Simulator.Internal.Delivery;

/// <summary>
/// Delivers every event to every registered endpoint, at least once: signed, on the contract's
/// retry schedule (on the simulator's clock), with a real-time attempt timeout, seeded faults, and
/// a log of every attempt. Deliveries are independent: a failing or slow endpoint never holds up
/// another endpoint or a later event.
/// </summary>
internal sealed partial class WebhookDispatcher : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly SimulatorClock _clock;
    private readonly KobbopaySimulatorOptions _options;
    private readonly ILogger _logger;
    private readonly HttpClient _http;
    private readonly List<EndpointState> _endpoints = [];
    private readonly Dictionary<string, DeliveryState> _deliveries = new(StringComparer.Ordinal);
    private readonly List<DeliveryState> _order = [];
    private readonly PriorityQueue<DeliveryState, DateTimeOffset> _due = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly HashSet<Task> _running = [];
    private SimulatorWebhookFaultOptions _faults = SimulatorWebhookFaultOptions.None;
    private Random _random = new(0);
    private TaskCompletionSource _idle = NewIdleSignal();
    private int _inFlight;

    public WebhookDispatcher(KobbopaySimulatorOptions options, SimulatorClock clock, ILogger logger)
    {
        _options = options;
        _clock = clock;
        _logger = logger;
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

    public SimulatorWebhookFaultOptions Faults
    {
        get
        {
            lock (_gate)
            {
                return _faults;
            }
        }

        set
        {
            ArgumentNullException.ThrowIfNull(value);
            value.Validate();
            lock (_gate)
            {
                _faults = value;
                _random = new Random(value.Seed);
            }
        }
    }

    public SimulatedWebhookEndpoint Add(Uri url, string? secret, string scheme, string? environment)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new SimulatorException("invalid_request", "url must be an absolute http or https address.");
        }

        secret ??= scheme == StandardWebhooksSignatureScheme.SchemeName
            ? KobbopayPrefixes.StandardWebhooksSecret + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24))
            : "whsk_" + Wire.NewId(string.Empty, 32);
        try
        {
            // Checks the scheme and the secret's form the way a receiver will.
            _ = scheme switch
            {
                HmacSha256HexSignatureScheme.SchemeName => (IWebhookSignatureScheme)new HmacSha256HexSignatureScheme([secret]),
                StandardWebhooksSignatureScheme.SchemeName => new StandardWebhooksSignatureScheme([secret]),
                _ => throw new ArgumentException($"scheme must be {HmacSha256HexSignatureScheme.SchemeName} or {StandardWebhooksSignatureScheme.SchemeName}."),
            };
        }
        catch (ArgumentException ex)
        {
            throw new SimulatorException("invalid_request", ex.Message);
        }

        EndpointState state = new(Wire.NewId("we_"), url, secret, scheme, environment);
        lock (_gate)
        {
            _endpoints.Add(state);
        }

        return state.Snapshot();
    }

    /// <summary>Removes an endpoint; its pending deliveries are cancelled (an attempt under way is recorded, never retried).</summary>
    public bool Remove(string id)
    {
        lock (_gate)
        {
            if (_endpoints.RemoveAll(e => e.Id == id) == 0)
            {
                return false;
            }

            foreach (DeliveryState delivery in _order)
            {
                if (delivery.Endpoint.Id == id && delivery.Status == "pending")
                {
                    delivery.Status = "cancelled";
                    delivery.NextAttemptAt = null;
                }
            }

            return true;
        }
    }

    /// <summary>Forgets every delivery (for <c>POST /_sim/reset</c>); an attempt under way is not retried. Endpoints stay.</summary>
    public void ClearDeliveries()
    {
        lock (_gate)
        {
            foreach (DeliveryState delivery in _order)
            {
                delivery.Status = "cancelled";
                delivery.NextAttemptAt = null;
            }

            _deliveries.Clear();
            _order.Clear();
            _due.Clear();
        }
    }

    /// <summary>Enables an endpoint again (after a 410 disabled it); later events and redeliveries go to it.</summary>
    public SimulatedWebhookEndpoint Enable(string id)
    {
        lock (_gate)
        {
            EndpointState endpoint = _endpoints.Find(e => e.Id == id) ?? throw new SimulatorException("endpoint_not_found", "No webhook endpoint has that id.");
            endpoint.Enabled = true;
            endpoint.DisabledReason = null;
            return endpoint.Snapshot();
        }
    }

    public IReadOnlyList<SimulatedWebhookEndpoint> Endpoints
    {
        get
        {
            lock (_gate)
            {
                return [.. _endpoints.Select(e => e.Snapshot())];
            }
        }
    }

    public IReadOnlyList<SimulatedDelivery> Deliveries
    {
        get
        {
            lock (_gate)
            {
                return [.. _order.Select(d => d.Snapshot())];
            }
        }
    }

    /// <summary>Queues an event for every endpoint that takes its environment; called by the engine as the event happens.</summary>
    public void Enqueue(string environment, EventDto e)
    {
        lock (_gate)
        {
            if (_endpoints.Count == 0)
            {
                return;
            }

            byte[] body = JsonSerializer.SerializeToUtf8Bytes(e, SimulatorJsonContext.Default.EventDto);
            DateTimeOffset now = _clock.GetUtcNow();
            foreach (EndpointState endpoint in _endpoints)
            {
                if (!endpoint.Enabled || (endpoint.Environment is not null && !string.Equals(endpoint.Environment, environment, StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }

                DeliveryState delivery = new(Wire.NewId("dlv_"), e.Id, e.Type, e.PaymentId, endpoint, body) { NextAttemptAt = now };
                _deliveries.Add(delivery.Id, delivery);
                _order.Add(delivery);
                _due.Enqueue(delivery, now);
            }
        }

        // Called under the engine's lock: start the attempts from the thread pool, not from here.
        ThreadPool.QueueUserWorkItem(static d => d.Pump(), this, preferLocal: false);
    }

    public SimulatedDelivery Redeliver(string deliveryId)
    {
        lock (_gate)
        {
            if (!_deliveries.TryGetValue(deliveryId, out DeliveryState? delivery))
            {
                throw new SimulatorException("delivery_not_found", "No delivery has that id.");
            }

            if (!_endpoints.Contains(delivery.Endpoint))
            {
                throw new SimulatorException("endpoint_not_found", $"The delivery's endpoint {delivery.Endpoint.Id} was removed; nothing was sent.");
            }

            if (!delivery.Endpoint.Enabled)
            {
                throw new SimulatorException("endpoint_disabled", $"The delivery's endpoint {delivery.Endpoint.Id} is disabled ({delivery.Endpoint.DisabledReason}); enable it with POST /_sim/webhook-endpoints/{delivery.Endpoint.Id}/enable first. Nothing was sent.");
            }

            delivery.Status = "pending";
            delivery.NextAttemptAt = _clock.GetUtcNow();
            delivery.Redelivery = true;
            _due.Enqueue(delivery, delivery.NextAttemptAt.Value);
        }

        Pump();
        return Find(deliveryId);
    }

    public SimulatedDelivery Find(string deliveryId)
    {
        lock (_gate)
        {
            return _deliveries.TryGetValue(deliveryId, out DeliveryState? d) ? d.Snapshot() : throw new SimulatorException("delivery_not_found", "No delivery has that id.");
        }
    }

    /// <summary>Starts every attempt that is due on the simulator's clock.</summary>
    public void Pump()
    {
        List<(DeliveryState Delivery, int Number, string? Fault, TimeSpan Hold, bool Duplicate, DateTimeOffset DueAt)> start = [];
        lock (_gate)
        {
            DateTimeOffset now = _clock.GetUtcNow();
            while (_due.TryPeek(out DeliveryState? d, out DateTimeOffset at) && at <= now)
            {
                _due.Dequeue();
                if (d.Status != "pending" || d.NextAttemptAt != at || d.InFlight)
                {
                    continue; // a stale entry: the delivery was rescheduled or finished
                }

                d.InFlight = true;
                _inFlight++;
                int number = d.AttemptCount + 1;
                d.AttemptCount = number;
                SimulatorWebhookFaultOptions f = _faults;
                double u1 = _random.NextDouble(), u2 = _random.NextDouble(), u3 = _random.NextDouble(), u4 = _random.NextDouble();
                if (number == 1 && !d.Redelivery && u1 < f.DropFirstAttemptRate)
                {
                    start.Add((d, number, "dropped", TimeSpan.Zero, false, at));
                    continue;
                }

                TimeSpan hold = u2 < f.ReorderRate ? TimeSpan.FromMilliseconds(u4 * f.ReorderMaxDelayMilliseconds) : TimeSpan.Zero;
                start.Add((d, number, hold > TimeSpan.Zero ? "reordered" : null, hold, u3 < f.DuplicateRate, at));
            }

            if (_inFlight == 0)
            {
                _idle.TrySetResult();
            }
        }

        foreach (var (delivery, number, fault, hold, duplicate, dueAt) in start)
        {
            Track(AttemptAsync(delivery, number, fault, hold, duplicate, dueAt));
        }
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

    private static TaskCompletionSource NewIdleSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Track(Task task)
    {
        lock (_gate)
        {
            _running.Add(task);
        }

        _ = task.ContinueWith(
            t =>
            {
                lock (_gate)
                {
                    _running.Remove(t);
                }

                Pump();
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Makes one attempt that fell due at <paramref name="dueAt"/> on the simulator's clock (after an advance, possibly well before now).</summary>
    private async Task AttemptAsync(DeliveryState delivery, int number, string? fault, TimeSpan hold, bool duplicate, DateTimeOffset dueAt)
    {
        try
        {
            await AttemptCoreAsync(delivery, number, fault, hold, duplicate, dueAt).ConfigureAwait(false);
        }
        catch (Exception ex) when (!_stopping.IsCancellationRequested)
        {
            // Whatever failed, the attempt is recorded and the schedule goes on.
            Finish(delivery, new SimulatedDeliveryAttempt(number, Wire.NewId("dla_"), dueAt, 0, 0, "simulator error: " + ex.GetType().Name, fault), null, null, dueAt);
        }
    }

    private async Task AttemptCoreAsync(DeliveryState delivery, int number, string? fault, TimeSpan hold, bool duplicate, DateTimeOffset dueAt)
    {
        if (fault == "dropped")
        {
            Finish(delivery, new SimulatedDeliveryAttempt(number, Wire.NewId("dla_"), dueAt, 0, 0, "dropped by fault injection (first attempt never sent)", fault), null, null, dueAt);
            return;
        }

        if (hold > TimeSpan.Zero)
        {
            await Task.Delay(hold, _stopping.Token).ConfigureAwait(false);
        }

        Task<(SimulatedDeliveryAttempt Attempt, HttpStatusCode? Status, TimeSpan? RetryAfter)>? copy = duplicate ? SendAsync(delivery, number, "duplicate", dueAt) : null;
        var (attempt, status, retryAfter) = await SendAsync(delivery, number, fault, dueAt).ConfigureAwait(false);
        if (copy is not null)
        {
            // Recorded first; the delivery succeeds if either copy was accepted.
            var (copyAttempt, _, _) = await copy.ConfigureAwait(false);
            lock (_gate)
            {
                delivery.Attempts.Add(copyAttempt);
            }
        }

        Finish(delivery, attempt, status, retryAfter, dueAt);
    }

    private async Task<(SimulatedDeliveryAttempt Attempt, HttpStatusCode? Status, TimeSpan? RetryAfter)> SendAsync(DeliveryState delivery, int number, string? fault, DateTimeOffset dueAt)
    {
        string attemptId = Wire.NewId("dla_");
        DateTimeOffset startedAt = dueAt; // on the simulator's clock, as if the time had passed
        using HttpRequestMessage request = new(HttpMethod.Post, delivery.Endpoint.Url)
        {
            Content = new ByteArrayContent(delivery.Body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation(KobbopayHeaders.EventId, delivery.EventId);
        request.Headers.TryAddWithoutValidation(KobbopayHeaders.DeliveryId, attemptId);
        request.Headers.UserAgent.ParseAdd("Kobbopay-Simulator/1.0");
        // Signed with the time of sending as a receiver sees it (the wall clock), not the simulated time: a receiver
        // enforcing Standard Webhooks' timestamp tolerance would reject every delivery after a clock advance.
        foreach (KeyValuePair<string, string> header in KobbopayWebhookSigner.Sign(delivery.Body, delivery.Endpoint.Scheme, delivery.Endpoint.Secret, delivery.EventId, _options.WallClock.GetUtcNow()))
        {
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        using CancellationTokenSource timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        timeout.CancelAfter(_options.WebhookAttemptTimeout);
        long started = Stopwatch.GetTimestamp();
        try
        {
            using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            double ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            TimeSpan? retryAfter = KobbopayRetryAfter.TryGetDelay(response.Headers.RetryAfter, _clock, out TimeSpan wait) ? wait : null;
            return (new SimulatedDeliveryAttempt(number, attemptId, startedAt, (int)response.StatusCode, ms, null, fault), response.StatusCode, retryAfter);
        }
        catch (OperationCanceledException) when (!_stopping.IsCancellationRequested)
        {
            return (new SimulatedDeliveryAttempt(number, attemptId, startedAt, 0, Stopwatch.GetElapsedTime(started).TotalMilliseconds, $"no answer within {_options.WebhookAttemptTimeout.TotalSeconds:0.###} s", fault), null, null);
        }
        catch (HttpRequestException ex)
        {
            return (new SimulatedDeliveryAttempt(number, attemptId, startedAt, 0, Stopwatch.GetElapsedTime(started).TotalMilliseconds, ex.HttpRequestError.ToString(), fault), null, null);
        }
    }

    /// <summary>Records an attempt and schedules the next one from when this one fell due, so one clock advance runs every attempt due inside it.</summary>
    private void Finish(DeliveryState delivery, SimulatedDeliveryAttempt attempt, HttpStatusCode? status, TimeSpan? retryAfter, DateTimeOffset dueAt)
    {
        lock (_gate)
        {
            delivery.Attempts.Add(attempt);
            delivery.InFlight = false;
            if (--_inFlight == 0)
            {
                _idle.TrySetResult();
            }

            delivery.Redelivery = false;
            if (delivery.Status == "cancelled")
            {
                return; // its endpoint was removed while this attempt was under way
            }

            bool accepted = delivery.Attempts.Any(a => a.Number == attempt.Number && a.StatusCode is >= 200 and < 300);
            if (accepted)
            {
                delivery.Status = "succeeded";
                delivery.NextAttemptAt = null;
                return;
            }

            if (status == HttpStatusCode.Gone)
            {
                delivery.Endpoint.Enabled = false;
                delivery.Endpoint.DisabledReason = $"answered 410 Gone to delivery {delivery.Id}";
                delivery.Status = "failed";
                delivery.NextAttemptAt = null;
                LogEndpointDisabled(_logger, delivery.Endpoint.Id, delivery.Endpoint.Url);
                return;
            }

            IList<TimeSpan> schedule = _options.WebhookRetrySchedule;
            int retryIndex = attempt.Number - 1;
            if (retryIndex >= schedule.Count)
            {
                delivery.Status = "failed";
                delivery.NextAttemptAt = null;
                return;
            }

            TimeSpan delay = schedule[retryIndex];
            if (status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable && retryAfter is { } asked && asked > delay)
            {
                delay = asked; // the endpoint asked for more room: slow its schedule down
            }

            DateTimeOffset next = dueAt + delay;
            delivery.NextAttemptAt = next;
            _due.Enqueue(delivery, next);
        }
    }

    [LoggerMessage(EventId = 50, Level = LogLevel.Warning, Message = "Webhook endpoint {EndpointId} ({Url}) answered 410 Gone and is disabled")]
    private static partial void LogEndpointDisabled(ILogger logger, string endpointId, Uri url);

    private sealed class EndpointState(string id, Uri url, string secret, string scheme, string? environment)
    {
        public string Id { get; } = id;

        public Uri Url { get; } = url;

        public string Secret { get; } = secret;

        public string Scheme { get; } = scheme;

        public string? Environment { get; } = environment;

        public bool Enabled { get; set; } = true;

        public string? DisabledReason { get; set; }

        public SimulatedWebhookEndpoint Snapshot() => new(Id, Url, Secret, Scheme, Environment, Enabled, DisabledReason);
    }

    private sealed class DeliveryState(string id, string eventId, string eventType, string paymentId, EndpointState endpoint, byte[] body)
    {
        public string Id { get; } = id;

        public string EventId { get; } = eventId;

        public string EventType { get; } = eventType;

        public string PaymentId { get; } = paymentId;

        public EndpointState Endpoint { get; } = endpoint;

        public byte[] Body { get; } = body;

        public List<SimulatedDeliveryAttempt> Attempts { get; } = [];

        public string Status { get; set; } = "pending";

        public DateTimeOffset? NextAttemptAt { get; set; }

        public int AttemptCount { get; set; }

        public bool InFlight { get; set; }

        public bool Redelivery { get; set; }

        public SimulatedDelivery Snapshot() => new(Id, EventId, EventType, PaymentId, Endpoint.Id, Status, [.. Attempts], NextAttemptAt);
    }
}
