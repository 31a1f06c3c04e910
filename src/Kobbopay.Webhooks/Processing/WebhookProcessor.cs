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

    /// <summary>Processes one delivery.</summary>
    /// <typeparam name="THeaders">The header source.</typeparam>
    /// <param name="body">The raw request body, exactly as received.</param>
    /// <param name="headers">The request headers.</param>
    /// <param name="handler">Your processing: runs at most once per event, unless it throws (then again on redelivery).</param>
    /// <param name="cancellationToken">Cancels processing (for example, the caller went away); the event stays retryable.</param>
    /// <returns>What became of the delivery.</returns>
    public async Task<WebhookProcessingResult> ProcessAsync<THeaders>(ReadOnlySequence<byte> body, THeaders headers, Func<PaymentEvent, CancellationToken, Task> handler, CancellationToken cancellationToken = default)
        where THeaders : IWebhookHeaders
    {
        ArgumentNullException.ThrowIfNull(handler);
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
        WebhookBeginResult begin;
        try
        {
            begin = await _store.TryBeginAsync(key, _options.LeaseDuration, cancellationToken).ConfigureAwait(false);
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

        try
        {
            await handler(paymentEvent!, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            WebhookTelemetry.HandlerFailures.Add(1);
            LogHandlerFailed(_logger, ex, key);
            try
            {
                await _store.AbandonAsync(key, begin.LeaseId, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception abandonFailure)
            {
                // The lease will lapse by itself; the redelivery after it processes the event.
                LogStoreUnavailable(_logger, abandonFailure, "abandon", key);
            }

            return Done(new(WebhookOutcome.HandlerFailed, WebhookVerificationFailure.None, paymentEvent, key, ex));
        }

        try
        {
            if (!await _store.CompleteAsync(key, begin.LeaseId, CancellationToken.None).ConfigureAwait(false))
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
}
