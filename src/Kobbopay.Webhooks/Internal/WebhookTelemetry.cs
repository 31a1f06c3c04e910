using System.Diagnostics.Metrics;

namespace Kobbopay.Webhooks.Internal;

/// <summary>The webhook path's meter, named <c>Kobbopay.Webhooks</c>.</summary>
internal static class WebhookTelemetry
{
    public const string Name = "Kobbopay.Webhooks";

    public static readonly Meter Meter = new(Name);

    public static readonly Counter<long> Deliveries = Meter.CreateCounter<long>("kobbopay.webhooks.deliveries", unit: "{delivery}", description: "Webhook deliveries, by outcome.");

    public static readonly Counter<long> Duplicates = Meter.CreateCounter<long>("kobbopay.webhooks.duplicates", unit: "{delivery}", description: "Deliveries of events already processed.");

    public static readonly Counter<long> StaleEvents = Meter.CreateCounter<long>("kobbopay.webhooks.stale_events", unit: "{event}", description: "Events whose sequence was not above the highest handled for their payment.");

    public static readonly Counter<long> SignatureFailures = Meter.CreateCounter<long>("kobbopay.webhooks.signature_failures", unit: "{delivery}", description: "Deliveries that failed verification, by reason.");

    public static readonly Counter<long> HandlerFailures = Meter.CreateCounter<long>("kobbopay.webhooks.handler_failures", unit: "{delivery}", description: "Deliveries whose handler threw.");

    public static string Tag(WebhookOutcome outcome) => outcome switch
    {
        WebhookOutcome.Processed => "processed",
        WebhookOutcome.Duplicate => "duplicate",
        WebhookOutcome.InProgress => "in_progress",
        WebhookOutcome.SignatureInvalid => "signature_invalid",
        WebhookOutcome.Malformed => "malformed",
        WebhookOutcome.HandlerFailed => "handler_failed",
        WebhookOutcome.Queued => "queued",
        WebhookOutcome.Parked => "parked",
        _ => "store_unavailable",
    };

    public static string Tag(WebhookRefusal refusal) => refusal switch
    {
        WebhookRefusal.UnsupportedMediaType => "unsupported_media_type",
        WebhookRefusal.TooLarge => "too_large",
        WebhookRefusal.Unreadable => "unreadable",
        WebhookRefusal.Forbidden => "forbidden",
        _ => "aborted",
    };

    public static string Tag(WebhookVerificationFailure failure) => failure switch
    {
        WebhookVerificationFailure.HeaderMissing => "header_missing",
        WebhookVerificationFailure.HeaderMalformed => "header_malformed",
        WebhookVerificationFailure.NoSecretMatched => "no_secret_matched",
        WebhookVerificationFailure.TimestampOutOfTolerance => "timestamp_out_of_tolerance",
        _ => "none",
    };
}
