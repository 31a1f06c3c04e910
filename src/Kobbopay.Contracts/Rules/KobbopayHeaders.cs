namespace Kobbopay.Contracts;

/// <summary>The header names of the contract, in one place. HTTP header names are case-insensitive.</summary>
public static class KobbopayHeaders
{
    /// <summary>The default header that carries the API key (configurable per deployment): <c>x-api-key</c>.</summary>
    public const string ApiKey = "x-api-key";

    /// <summary>The header that makes a create idempotent: <c>Idempotency-Key</c>.</summary>
    public const string IdempotencyKey = "Idempotency-Key";

    /// <summary>The header the gateway sets to <c>true</c> on a replayed create: <c>Idempotent-Replayed</c>.</summary>
    public const string IdempotentReplayed = "Idempotent-Replayed";

    /// <summary>The header every answer carries with its request id (<c>req_…</c>): <c>x-request-id</c>.</summary>
    public const string RequestId = "x-request-id";

    /// <summary>The webhook header carrying the event id: <c>x-event-id</c>.</summary>
    public const string EventId = "x-event-id";

    /// <summary>The webhook header carrying a delivery attempt's id, new per attempt: <c>x-delivery-id</c>.</summary>
    public const string DeliveryId = "x-delivery-id";

    /// <summary>The default webhook signature header of the <c>hmac-sha256-hex</c> scheme: <c>x-signature</c>.</summary>
    public const string Signature = "x-signature";

    /// <summary>The Standard Webhooks message id header: <c>webhook-id</c>.</summary>
    public const string WebhookId = "webhook-id";

    /// <summary>The Standard Webhooks timestamp header (unix seconds): <c>webhook-timestamp</c>.</summary>
    public const string WebhookTimestamp = "webhook-timestamp";

    /// <summary>The Standard Webhooks signature header (space-separated <c>v1,&lt;base64&gt;</c> entries): <c>webhook-signature</c>.</summary>
    public const string WebhookSignature = "webhook-signature";
}
