namespace Kobbopay.Webhooks;

/// <summary>
/// A durable queue of verified webhook events for queued processing: the endpoint enqueues the raw event and answers 2xx;
/// a worker claims due events under a lease, runs the handlers, and completes the event, or fails it with a time for the
/// next attempt, or parks it for review. Nothing is ever dropped: a parked event stays until requeued or discarded.
/// </summary>
/// <remarks>
/// Enqueue is idempotent on the key: a redelivery of an event already in the inbox (pending, completed or parked) adds
/// nothing. Claim is atomic across every process sharing the inbox: an event is claimed by one worker at a time, and a
/// claim whose lease lapses (the worker died) is claimed again. Handlers therefore run at least once per event, and
/// exactly once unless a worker dies between a handler's effect and the completion.
/// </remarks>
public interface IWebhookInbox
{
    /// <summary>Records an event, durably, unless its key is already in the inbox.</summary>
    /// <param name="key">The dedupe key.</param>
    /// <param name="body">The raw body, as verified.</param>
    /// <param name="deliveryId">The delivery id, or <see langword="null"/>.</param>
    /// <param name="parkReason">
    /// <see langword="null"/> to queue the event for handling; otherwise why it goes straight to
    /// <see cref="WebhookInboxState.Parked"/> (for example, a validly signed body that is not an event).
    /// </param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when recorded now; <see langword="false"/> when the key was already in the inbox.</returns>
    ValueTask<bool> EnqueueAsync(string key, ReadOnlyMemory<byte> body, string? deliveryId, string? parkReason = null, CancellationToken cancellationToken = default);

    /// <summary>Claims up to <paramref name="maxCount"/> pending events that are due (and not under a live lease), counting an attempt on each.</summary>
    /// <param name="maxCount">The most events to claim.</param>
    /// <param name="lease">How long the claim holds the events before another worker may claim them again.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The events claimed, oldest due first, each with its <see cref="WebhookInboxEntry.LeaseId"/>; empty when none is due.</returns>
    ValueTask<IReadOnlyList<WebhookInboxEntry>> ClaimAsync(int maxCount, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>Marks a claimed event handled.</summary>
    /// <param name="key">The dedupe key.</param>
    /// <param name="leaseId">The lease of the claim.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="false"/> when the claim is no longer the caller's (its lease lapsed and another worker claimed it).</returns>
    ValueTask<bool> CompleteAsync(string key, Guid leaseId, CancellationToken cancellationToken = default);

    /// <summary>Records a failed run of a claimed event: it is due again at <paramref name="retryAt"/>, or parked when that is <see langword="null"/>.</summary>
    /// <param name="key">The dedupe key.</param>
    /// <param name="leaseId">The lease of the claim.</param>
    /// <param name="retryAt">When to try again, or <see langword="null"/> to park the event.</param>
    /// <param name="error">Why it failed (an exception type, a short reason); never a secret or the body.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="false"/> when the claim is no longer the caller's.</returns>
    ValueTask<bool> FailAsync(string key, Guid leaseId, DateTimeOffset? retryAt, string error, CancellationToken cancellationToken = default);

    /// <summary>Lists parked events, oldest first.</summary>
    /// <param name="maxCount">The most events to return.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The parked events with their raw bodies and reasons.</returns>
    ValueTask<IReadOnlyList<WebhookInboxEntry>> ListParkedAsync(int maxCount = 100, CancellationToken cancellationToken = default);

    /// <summary>Puts a parked event back in the queue, due now, with its attempt count reset.</summary>
    /// <param name="key">The dedupe key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="false"/> when no parked event has that key.</returns>
    ValueTask<bool> RequeueAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Removes a parked event for good, after review.</summary>
    /// <param name="key">The dedupe key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="false"/> when no parked event has that key.</returns>
    ValueTask<bool> DiscardAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Removes completed events completed before a time (keep them longer than the gateway's retry horizon, so redeliveries stay duplicates).</summary>
    /// <param name="completedBefore">The cutoff.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many events were removed.</returns>
    ValueTask<int> PurgeAsync(DateTimeOffset completedBefore, CancellationToken cancellationToken = default);
}
