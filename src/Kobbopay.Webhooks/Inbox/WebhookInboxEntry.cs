namespace Kobbopay.Webhooks;

/// <summary>An event as an <see cref="IWebhookInbox"/> holds it: the raw body that was verified, and where it stands.</summary>
/// <param name="Key">The dedupe key (namespaced by the endpoint), unique in the inbox.</param>
/// <param name="Body">The raw request body, exactly as verified.</param>
/// <param name="DeliveryId">The id of the delivery that brought it (header <c>x-delivery-id</c>), or <see langword="null"/>.</param>
/// <param name="State">Where it stands.</param>
/// <param name="Attempts">How many times a worker has claimed it.</param>
/// <param name="ReceivedAt">When it was enqueued.</param>
/// <param name="NextAttemptAt">When it may next be claimed, while <see cref="WebhookInboxState.Pending"/>.</param>
/// <param name="LeaseId">The lease of the claim that returned it, or <see cref="Guid.Empty"/> when listed.</param>
/// <param name="LastError">Why the last run failed or why it was parked, or <see langword="null"/>; never a secret or the body.</param>
public sealed record WebhookInboxEntry(
    string Key,
    ReadOnlyMemory<byte> Body,
    string? DeliveryId,
    WebhookInboxState State,
    int Attempts,
    DateTimeOffset ReceivedAt,
    DateTimeOffset NextAttemptAt,
    Guid LeaseId,
    string? LastError);
