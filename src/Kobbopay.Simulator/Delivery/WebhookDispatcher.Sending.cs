using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Kobbopay.Contracts;
using Kobbopay.Webhooks;
using Microsoft.Extensions.Logging;

namespace Kobbopay.Simulator.Internal.Delivery;

/// <summary>
/// One attempt: signed, sent with a timeout, and what its answer means (success, a retry on the schedule, or an
/// endpoint disabled by 410 Gone).
/// </summary>
internal sealed partial class WebhookDispatcher
{
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

    /// <summary>Drops, holds back (reorder) or duplicates the attempt as its faults say, sends it, then records it.</summary>
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

            ConsoleLog.Attempt(_console, delivery.EventType, delivery.EventId, delivery.Endpoint.Url, copyAttempt);
        }

        Finish(delivery, attempt, status, retryAfter, dueAt);
    }

    /// <summary>
    /// Sends one signed POST of the delivery's body and says what came back; no answer within the attempt timeout, or a
    /// transport error, is an attempt with status code 0.
    /// </summary>
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

        IReadOnlyDictionary<string, string> sent = SentHeaders(request);

        using CancellationTokenSource timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        timeout.CancelAfter(_options.WebhookAttemptTimeout);
        long started = Stopwatch.GetTimestamp();
        try
        {
            using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            double ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            TimeSpan? retryAfter = KobbopayRetryAfter.TryGetDelay(response.Headers.RetryAfter, _clock, out TimeSpan wait) ? wait : null;
            return (new SimulatedDeliveryAttempt(number, attemptId, startedAt, (int)response.StatusCode, ms, null, fault) { RequestHeaders = sent }, response.StatusCode, retryAfter);
        }
        catch (OperationCanceledException) when (!_stopping.IsCancellationRequested)
        {
            return (new SimulatedDeliveryAttempt(number, attemptId, startedAt, 0, Stopwatch.GetElapsedTime(started).TotalMilliseconds, $"no answer within {_options.WebhookAttemptTimeout.TotalSeconds:0.###} s", fault) { RequestHeaders = sent }, null, null);
        }
        catch (HttpRequestException ex)
        {
            // "ConnectionError: Connection refused (127.0.0.1:5000)": the kind, and what the socket said.
            return (new SimulatedDeliveryAttempt(number, attemptId, startedAt, 0, Stopwatch.GetElapsedTime(started).TotalMilliseconds, $"{ex.HttpRequestError}: {ex.Message}", fault) { RequestHeaders = sent }, null, null);
        }
    }

    /// <summary>The headers of a request as it goes out, by lower-case name (the body's length included).</summary>
    private static IReadOnlyDictionary<string, string> SentHeaders(HttpRequestMessage request)
    {
        Dictionary<string, string> sent = new(StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, IEnumerable<string>> header in request.Headers.Concat(request.Content!.Headers))
        {
            sent[header.Key.ToLowerInvariant()] = string.Join(", ", header.Value);
        }

        sent["content-length"] = request.Content.Headers.ContentLength!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return sent.AsReadOnly();
    }

    /// <summary>Records an attempt and schedules the next one from when this one fell due, so one clock advance runs every attempt due inside it.</summary>
    private void Finish(DeliveryState delivery, SimulatedDeliveryAttempt attempt, HttpStatusCode? status, TimeSpan? retryAfter, DateTimeOffset dueAt)
    {
        ConsoleLog.Attempt(_console, delivery.EventType, delivery.EventId, delivery.Endpoint.Url, attempt);
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

            if (status == HttpStatusCode.Gone && delivery.Endpoint.Id is null)
            {
                delivery.Status = "failed"; // a one-off address: no endpoint to disable, and no point retrying
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

    /// <summary>Logs an endpoint disabled by a 410 Gone.</summary>
    [LoggerMessage(EventId = 50, Level = LogLevel.Warning, Message = "Webhook endpoint {EndpointId} ({Url}) answered 410 Gone and is disabled")]
    private static partial void LogEndpointDisabled(ILogger logger, string? endpointId, Uri url);
}
