using Kobbopay.Sdk;

namespace Kobbopay.Webhooks;

/// <summary>What became of a delivery; a host maps it to its answer (see Kobbopay.AspNetCore).</summary>
public enum WebhookOutcome
{
    /// <summary>The handler ran and the store recorded the event: answer 2xx.</summary>
    Processed,

    /// <summary>The event was processed before: answer 2xx, the handler did not run.</summary>
    Duplicate,

    /// <summary>Another delivery is processing the event: answer non-2xx so the gateway retries later.</summary>
    InProgress,

    /// <summary>The signature is missing or wrong: answer 401, saying nothing about why.</summary>
    SignatureInvalid,

    /// <summary>The signature is valid but the body is not an event: answer 400.</summary>
    Malformed,

    /// <summary>The handler failed; the event stays retryable: answer 5xx.</summary>
    HandlerFailed,

    /// <summary>The store could not be reached; nothing was recorded as processed: answer 503.</summary>
    StoreUnavailable,

    /// <summary>Queued processing: the event was recorded in the inbox for a worker to handle: answer 2xx.</summary>
    Queued,

    /// <summary>Queued processing: the signature is valid but the body is not an event; it was parked in the inbox with its raw bytes for review: answer 2xx.</summary>
    Parked,
}

/// <summary>The result of processing one delivery.</summary>
/// <param name="Outcome">What became of it.</param>
/// <param name="SignatureFailure">Why verification failed, for metrics and logs.</param>
/// <param name="Event">The event, once parsed.</param>
/// <param name="DedupeKey">The store key, once known.</param>
/// <param name="Exception">The handler's or the store's exception, if one failed.</param>
public sealed record WebhookProcessingResult(
    WebhookOutcome Outcome,
    WebhookVerificationFailure SignatureFailure,
    PaymentEvent? Event,
    string? DedupeKey,
    Exception? Exception)
{
    /// <summary>Gets the outcome as the <c>kobbopay.webhooks.deliveries</c> metric and the logs name it: <c>processed</c>, <c>duplicate</c>, <c>in_progress</c>, <c>signature_invalid</c>, <c>malformed</c>, <c>handler_failed</c>, <c>store_unavailable</c>, <c>queued</c> or <c>parked</c>.</summary>
    public string OutcomeName => Internal.WebhookTelemetry.Tag(Outcome);
}

/// <summary>Settings of a <see cref="WebhookProcessor"/>.</summary>
public sealed class WebhookProcessorOptions
{
    /// <summary>Gets or sets the namespace of this endpoint's dedupe keys, so two consumers of the same events keep separate records.</summary>
    /// <value>Defaults to <c>default</c>.</value>
    public string KeyPrefix { get; set; } = "default";

    /// <summary>Gets or sets how long a delivery may hold an event before another may take it over; longer than your slowest handler.</summary>
    /// <value>Defaults to 1 minute.</value>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(1);
}
