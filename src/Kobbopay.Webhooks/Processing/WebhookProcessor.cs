using System.Buffers;
using System.Security.Cryptography;
using Kobbopay.Sdk;
using Kobbopay.Webhooks.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kobbopay.Webhooks;

/// <summary>
/// The webhook path, host-agnostic: verify the raw bytes, then parse, then deduplicate through the
/// store's atomic begin, run the handler, and record the event. A failing handler releases the
/// event so the gateway's retry processes it again; a failing store records nothing.
/// </summary>
public sealed partial class WebhookProcessor
{
    private readonly IWebhookSignatureScheme _scheme;
    private readonly IWebhookEventStore _store;
    private readonly WebhookProcessorOptions _options;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="WebhookProcessor"/> class.</summary>
    /// <param name="scheme">How deliveries are signed.</param>
    /// <param name="store">Where processed events are recorded.</param>
    /// <param name="options">Settings; <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Where to log; never a secret, a signature or a body.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public WebhookProcessor(IWebhookSignatureScheme scheme, IWebhookEventStore store, WebhookProcessorOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(scheme);
        ArgumentNullException.ThrowIfNull(store);
        _scheme = scheme;
        _store = store;
        _options = options ?? new WebhookProcessorOptions();
        if (string.IsNullOrWhiteSpace(_options.KeyPrefix) || _options.KeyPrefix.Length > 64)
        {
            throw new ArgumentException("KeyPrefix must be 1 to 64 characters.", nameof(options));
        }

        if (_options.LeaseDuration <= TimeSpan.Zero)
        {
            throw new ArgumentException("LeaseDuration must be positive.", nameof(options));
        }

        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Gets the name of the meter that counts the webhook path: <c>Kobbopay.Webhooks</c>.</summary>
    public const string MeterName = WebhookTelemetry.Name;

    /// <summary>
    /// Counts a delivery that a host refused before it reached a processor, on the same <c>kobbopay.webhooks.deliveries</c>
    /// counter (tag <c>outcome</c>) that processed deliveries are counted on, so one metric shows every delivery.
    /// </summary>
    /// <param name="refusal">Why the host refused it.</param>
    public static void CountRefused(WebhookRefusal refusal) =>
        WebhookTelemetry.Deliveries.Add(1, new KeyValuePair<string, object?>("outcome", WebhookTelemetry.Tag(refusal)));

    /// <summary>Processes one delivery, without judging the event's order: the handler runs for every new event, stale or not.</summary>
    /// <typeparam name="THeaders">The header source.</typeparam>
    /// <param name="body">The raw request body, exactly as received.</param>
    /// <param name="headers">The request headers.</param>
    /// <param name="handler">Your processing: runs at most once per event, unless it throws (then again on redelivery).</param>
    /// <param name="cancellationToken">Cancels processing (for example, the caller went away); the event stays retryable.</param>
    /// <returns>What became of the delivery.</returns>
    public Task<WebhookProcessingResult> ProcessAsync<THeaders>(ReadOnlySequence<byte> body, THeaders headers, Func<PaymentEvent, CancellationToken, Task> handler, CancellationToken cancellationToken = default)
        where THeaders : IWebhookHeaders
    {
        ArgumentNullException.ThrowIfNull(handler);
        return ProcessAsync(body, headers, (paymentEvent, _, ct) => handler(paymentEvent, ct), judgeOrder: false, cancellationToken);
    }

    /// <summary>
    /// Processes one delivery, judging the event's order first: when the store is an <see cref="IWebhookSequenceStore"/>
    /// and the event has a sequence that is not above the highest handled for its payment, the event is stale (it would
    /// move the payment backward). It is logged and counted, and <paramref name="handler"/> is told, so it can skip it;
    /// the event is completed all the same, so the gateway stops retrying it. When the handler returns for an event that
    /// is not stale, the payment's highest handled sequence is raised with the complete; a throw leaves it as it was.
    /// </summary>
    /// <typeparam name="THeaders">The header source.</typeparam>
    /// <param name="body">The raw request body, exactly as received.</param>
    /// <param name="headers">The request headers.</param>
    /// <param name="handler">Your processing, given the event and whether it is stale: runs at most once per event, unless it throws (then again on redelivery).</param>
    /// <param name="cancellationToken">Cancels processing; the event stays retryable.</param>
    /// <returns>What became of the delivery (a stale event that was completed is <see cref="WebhookOutcome.Processed"/>).</returns>
    public Task<WebhookProcessingResult> ProcessAsync<THeaders>(ReadOnlySequence<byte> body, THeaders headers, Func<PaymentEvent, bool, CancellationToken, Task> handler, CancellationToken cancellationToken = default)
        where THeaders : IWebhookHeaders
    {
        ArgumentNullException.ThrowIfNull(handler);
        return ProcessAsync(body, headers, handler, judgeOrder: true, cancellationToken);
    }

    /// <summary>
    /// Tells whether an event is stale: its store is an <see cref="IWebhookSequenceStore"/>, it has a sequence, and that
    /// sequence is not above the highest handled for its payment. A stale event is logged (at Information, once) and
    /// counted (<c>kobbopay.webhooks.stale_events</c>). For a worker that handles events after the delivery was answered
    /// (queued processing): judge when the event is handled, and call <see cref="RecordHandledAsync"/> once its handlers succeeded.
    /// </summary>
    /// <param name="paymentEvent">The event about to be handled.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when the event would move its payment backward.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="paymentEvent"/> is <see langword="null"/>.</exception>
    public async ValueTask<bool> IsStaleAsync(PaymentEvent paymentEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paymentEvent);
        if (_store is not IWebhookSequenceStore sequences || paymentEvent.Sequence is not { } sequence)
        {
            return false;
        }

        return IsStale(paymentEvent, sequence, await sequences.GetHandledSequenceAsync(PaymentKey(paymentEvent), cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Raises the highest handled sequence of the event's payment to the event's, when the store is an <see cref="IWebhookSequenceStore"/> and the event has a sequence; never lowers it.</summary>
    /// <param name="paymentEvent">The event whose handlers succeeded.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the sequence is recorded.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="paymentEvent"/> is <see langword="null"/>.</exception>
    public ValueTask RecordHandledAsync(PaymentEvent paymentEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paymentEvent);
        return _store is IWebhookSequenceStore sequences && paymentEvent.Sequence is { } sequence
            ? sequences.RecordHandledSequenceAsync(PaymentKey(paymentEvent), sequence, cancellationToken)
            : default;
    }

    private async Task<WebhookProcessingResult> ProcessAsync<THeaders>(ReadOnlySequence<byte> body, THeaders headers, Func<PaymentEvent, bool, CancellationToken, Task> handler, bool judgeOrder, CancellationToken cancellationToken)
        where THeaders : IWebhookHeaders
    {
        if (Refuse(body, headers) is { } refused)
        {
            return refused;
        }

        byte[]? copy = body.IsSingleSegment ? null : body.ToArray();
        if (!WebhookEventParser.TryParse(copy ?? body.FirstSpan, out PaymentEvent? paymentEvent, out string? error))
        {
            LogMalformed(_logger, error!);
            return Done(new(WebhookOutcome.Malformed, WebhookVerificationFailure.None, null, null, null));
        }

        string key = _options.KeyPrefix + ":" + WebhookDedupeKey.For(paymentEvent!);

        // Judging order, the begin also reads the payment's highest handled sequence (one statement where the store can).
        IWebhookSequenceStore? sequences = judgeOrder && paymentEvent!.Sequence is not null ? _store as IWebhookSequenceStore : null;
        WebhookBeginResult begin;
        try
        {
            begin = await (sequences is null
                ? _store.TryBeginAsync(key, _options.LeaseDuration, cancellationToken)
                : sequences.TryBeginAsync(key, _options.LeaseDuration, PaymentKey(paymentEvent!), cancellationToken)).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogStoreUnavailable(_logger, ex, "begin", key);
            return Done(new(WebhookOutcome.StoreUnavailable, WebhookVerificationFailure.None, paymentEvent, key, ex));
        }

        if (begin.Status == WebhookBeginStatus.Duplicate)
        {
            WebhookTelemetry.Duplicates.Add(1);
            LogDuplicate(_logger, key);
            return Done(new(WebhookOutcome.Duplicate, WebhookVerificationFailure.None, paymentEvent, key, null));
        }

        if (begin.Status == WebhookBeginStatus.InProgress)
        {
            LogInProgress(_logger, key);
            return Done(new(WebhookOutcome.InProgress, WebhookVerificationFailure.None, paymentEvent, key, null));
        }

        // Judged after the begin, as before: a stale event is kept from the handler and still completed.
        bool stale = sequences is not null && IsStale(paymentEvent!, paymentEvent!.Sequence!.Value, begin.HandledSequence);
        try
        {
            await handler(paymentEvent!, stale, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            WebhookTelemetry.HandlerFailures.Add(1);
            LogHandlerFailed(_logger, ex, key);
            await AbandonAsync(key, begin.LeaseId).ConfigureAwait(false);
            return Done(new(WebhookOutcome.HandlerFailed, WebhookVerificationFailure.None, paymentEvent, key, ex));
        }

        try
        {
            // Not stale and sequenced: the payment's highest handled sequence rises with the complete (one transaction where the store can).
            ValueTask<bool> complete = sequences is not null && !stale
                ? sequences.CompleteAsync(key, begin.LeaseId, PaymentKey(paymentEvent!), paymentEvent!.Sequence!.Value, CancellationToken.None)
                : _store.CompleteAsync(key, begin.LeaseId, CancellationToken.None);
            if (!await complete.ConfigureAwait(false))
            {
                LogLeaseLost(_logger, key, _options.LeaseDuration);
            }
        }
        catch (Exception ex)
        {
            // The handler ran but nothing is recorded: the gateway will retry and the handler may run again.
            LogStoreUnavailable(_logger, ex, "complete", key);
            return Done(new(WebhookOutcome.StoreUnavailable, WebhookVerificationFailure.None, paymentEvent, key, ex));
        }

        return Done(new(WebhookOutcome.Processed, WebhookVerificationFailure.None, paymentEvent, key, null));
    }

    /// <summary>
    /// Verifies one delivery and records it in <paramref name="inbox"/> for a worker to handle later (queued processing),
    /// instead of running a handler now. A validly signed body that is not an event is parked there with its raw bytes,
    /// keyed by its SHA-256, for review. Answer 2xx only for <see cref="WebhookOutcome.Queued"/>,
    /// <see cref="WebhookOutcome.Parked"/> and <see cref="WebhookOutcome.Duplicate"/>: the inbox write is then done.
    /// </summary>
    /// <typeparam name="THeaders">The header source.</typeparam>
    /// <param name="body">The raw request body, exactly as received.</param>
    /// <param name="headers">The request headers.</param>
    /// <param name="inbox">Where the event is recorded.</param>
    /// <param name="deliveryId">The delivery id, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call; the event may or may not have been recorded (a redelivery is then a duplicate or recorded).</param>
    /// <returns>What became of the delivery: <see cref="WebhookOutcome.Queued"/>, <see cref="WebhookOutcome.Parked"/>, <see cref="WebhookOutcome.Duplicate"/>, <see cref="WebhookOutcome.SignatureInvalid"/> or <see cref="WebhookOutcome.StoreUnavailable"/>.</returns>
    public async Task<WebhookProcessingResult> EnqueueAsync<THeaders>(ReadOnlySequence<byte> body, THeaders headers, IWebhookInbox inbox, string? deliveryId, CancellationToken cancellationToken = default)
        where THeaders : IWebhookHeaders
    {
        ArgumentNullException.ThrowIfNull(inbox);
        if (Refuse(body, headers) is { } refused)
        {
            return refused;
        }

        byte[] raw = body.ToArray();
        string key;
        string? parkReason = null;
        if (WebhookEventParser.TryParse(raw, out PaymentEvent? paymentEvent, out string? error))
        {
            key = _options.KeyPrefix + ":" + WebhookDedupeKey.For(paymentEvent!);
        }
        else
        {
            key = _options.KeyPrefix + ":unparsed:" + Hex.EncodeLower(SHA256.HashData(raw));
            parkReason = error;
            LogMalformed(_logger, error!);
        }

        bool added;
        try
        {
            added = await inbox.EnqueueAsync(key, raw, deliveryId, parkReason, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogStoreUnavailable(_logger, ex, "enqueue", key);
            return Done(new(WebhookOutcome.StoreUnavailable, WebhookVerificationFailure.None, paymentEvent, key, ex));
        }

        if (!added)
        {
            WebhookTelemetry.Duplicates.Add(1);
            LogDuplicate(_logger, key);
            return Done(new(WebhookOutcome.Duplicate, WebhookVerificationFailure.None, paymentEvent, key, null));
        }

        return Done(new(parkReason is null ? WebhookOutcome.Queued : WebhookOutcome.Parked, WebhookVerificationFailure.None, paymentEvent, key, null));
    }

    private async ValueTask AbandonAsync(string key, Guid leaseId)
    {
        try
        {
            await _store.AbandonAsync(key, leaseId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception abandonFailure)
        {
            // The lease will lapse by itself; the redelivery after it processes the event.
            LogStoreUnavailable(_logger, abandonFailure, "abandon", key);
        }
    }

    /// <summary>Judges an event stale when its sequence is not above the highest handled; logs and counts it when it is.</summary>
    private bool IsStale(PaymentEvent paymentEvent, long sequence, long? highestHandled)
    {
        if (highestHandled is not { } highest || sequence > highest)
        {
            return false;
        }

        WebhookTelemetry.StaleEvents.Add(1);
        LogStale(_logger, paymentEvent.Id ?? "(none)", paymentEvent.PaymentId, sequence, highest);
        return true;
    }

    /// <summary>The key a payment's highest handled sequence is kept under: namespaced like the dedupe keys.</summary>
    private string PaymentKey(PaymentEvent paymentEvent) => _options.KeyPrefix + ":" + paymentEvent.PaymentId;

    private WebhookProcessingResult? Refuse<THeaders>(ReadOnlySequence<byte> body, THeaders headers)
        where THeaders : IWebhookHeaders
    {
        WebhookVerificationResult verification = _scheme.Verify(body, headers);
        if (verification.IsValid)
        {
            return null;
        }

        WebhookTelemetry.SignatureFailures.Add(1, new KeyValuePair<string, object?>("reason", WebhookTelemetry.Tag(verification.Failure)));
        if (verification is { Failure: WebhookVerificationFailure.HeaderMissing, Header: { } header })
        {
            LogHeaderMissing(_logger, _scheme.Name, header);
        }
        else
        {
            LogSignatureFailed(_logger, _scheme.Name, verification.Failure);
        }

        return Done(new(WebhookOutcome.SignatureInvalid, verification.Failure, null, null, null));
    }

    /// <summary>Processes one delivery held in one buffer.</summary>
    /// <typeparam name="THeaders">The header source.</typeparam>
    /// <param name="body">The raw request body, exactly as received.</param>
    /// <param name="headers">The request headers.</param>
    /// <param name="handler">Your processing.</param>
    /// <param name="cancellationToken">Cancels processing.</param>
    /// <returns>What became of the delivery.</returns>
    public Task<WebhookProcessingResult> ProcessAsync<THeaders>(ReadOnlyMemory<byte> body, THeaders headers, Func<PaymentEvent, CancellationToken, Task> handler, CancellationToken cancellationToken = default)
        where THeaders : IWebhookHeaders =>
        ProcessAsync(new ReadOnlySequence<byte>(body), headers, handler, cancellationToken);

    private static WebhookProcessingResult Done(WebhookProcessingResult result)
    {
        WebhookTelemetry.Deliveries.Add(1, new KeyValuePair<string, object?>("outcome", WebhookTelemetry.Tag(result.Outcome)));
        return result;
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "Kobbopay webhook rejected: signature check ({Scheme}) failed with {Reason}")]
    private static partial void LogSignatureFailed(ILogger logger, string scheme, WebhookVerificationFailure reason);

    [LoggerMessage(EventId = 320, Level = LogLevel.Warning, Message = "Kobbopay webhook rejected: signature check ({Scheme}) failed with HeaderMissing: the request has no {Header} header, or it is empty")]
    private static partial void LogHeaderMissing(ILogger logger, string scheme, string header);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Kobbopay webhook rejected after a valid signature: {Error}")]
    private static partial void LogMalformed(ILogger logger, string error);

    [LoggerMessage(EventId = 302, Level = LogLevel.Debug, Message = "Kobbopay webhook {Key} is a duplicate; not processed again")]
    private static partial void LogDuplicate(ILogger logger, string key);

    [LoggerMessage(EventId = 303, Level = LogLevel.Information, Message = "Kobbopay webhook {Key} is being processed by another delivery")]
    private static partial void LogInProgress(ILogger logger, string key);

    [LoggerMessage(EventId = 304, Level = LogLevel.Error, Message = "Kobbopay webhook handler failed for {Key}; the event stays retryable")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string key);

    [LoggerMessage(EventId = 305, Level = LogLevel.Error, Message = "Kobbopay webhook store unavailable during {Operation} of {Key}; nothing was recorded as processed")]
    private static partial void LogStoreUnavailable(ILogger logger, Exception exception, string operation, string key);

    [LoggerMessage(EventId = 306, Level = LogLevel.Warning, Message = "Kobbopay webhook {Key} finished after its lease ({Lease}) lapsed and another delivery took it over; raise LeaseDuration above your slowest handler")]
    private static partial void LogLeaseLost(ILogger logger, string key, TimeSpan lease);

    [LoggerMessage(EventId = 307, Level = LogLevel.Information, Message = "Kobbopay webhook event {EventId} for payment {PaymentId} is stale: its sequence {Sequence} is not above {HighestHandled}, the highest handled; kept from handlers that do not ask for stale events")]
    private static partial void LogStale(ILogger logger, string eventId, string paymentId, long sequence, long highestHandled);
}
