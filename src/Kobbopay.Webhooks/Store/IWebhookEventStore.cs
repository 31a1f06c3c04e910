namespace Kobbopay.Webhooks;

/// <summary>What <see cref="IWebhookEventStore.TryBeginAsync"/> found.</summary>
public enum WebhookBeginStatus
{
    /// <summary>The event is new (or its last holder's lease expired): the caller holds the lease and processes it.</summary>
    Began,

    /// <summary>The event was processed already: answer 2xx, do nothing.</summary>
    Duplicate,

    /// <summary>Another delivery holds a live lease on the event: answer non-2xx so the gateway retries later.</summary>
    InProgress,
}

/// <summary>The outcome of beginning an event.</summary>
/// <param name="Status">What was found.</param>
/// <param name="LeaseId">The lease to complete or abandon with, when <see cref="WebhookBeginStatus.Began"/>.</param>
/// <param name="LeaseExpiresAt">When the lease lapses, when one is held (by the caller or another delivery).</param>
public readonly record struct WebhookBeginResult(WebhookBeginStatus Status, Guid LeaseId, DateTimeOffset? LeaseExpiresAt)
{
    /// <summary>
    /// Gets the highest sequence handled for the event's payment, read with the begin
    /// (<see cref="IWebhookSequenceStore.TryBeginAsync(string, TimeSpan, string, CancellationToken)"/>) when the status is
    /// <see cref="WebhookBeginStatus.Began"/>.
    /// </summary>
    /// <value><see langword="null"/> when none is recorded, or when the begin did not read it.</value>
    public long? HandledSequence { get; init; }
}

/// <summary>
/// Records which webhook events were processed, so that each is processed once however often it
/// is delivered. Begin is atomic (no read-then-write race) and takes a lease that expires, so a
/// process that dies mid-handler leaves its event to be processed again, never lost.
/// </summary>
public interface IWebhookEventStore
{
    /// <summary>Begins processing an event, atomically.</summary>
    /// <param name="key">The dedupe key (namespaced by the consuming endpoint).</param>
    /// <param name="lease">How long the caller may hold the event before another delivery may take it over.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Began with a new lease; Duplicate when completed; InProgress while another live lease holds it.</returns>
    ValueTask<WebhookBeginResult> TryBeginAsync(string key, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>Marks an event processed.</summary>
    /// <param name="key">The dedupe key.</param>
    /// <param name="leaseId">The lease from <see cref="TryBeginAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="false"/> when the lease is no longer the caller's (it expired and was taken over).</returns>
    ValueTask<bool> CompleteAsync(string key, Guid leaseId, CancellationToken cancellationToken = default);

    /// <summary>Releases an event whose processing failed, so the next delivery begins it again.</summary>
    /// <param name="key">The dedupe key.</param>
    /// <param name="leaseId">The lease from <see cref="TryBeginAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="false"/> when the lease is no longer the caller's.</returns>
    ValueTask<bool> AbandonAsync(string key, Guid leaseId, CancellationToken cancellationToken = default);

    /// <summary>Removes records of events completed before a time (keep them longer than the gateway's whole retry horizon).</summary>
    /// <param name="completedBefore">The cutoff.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many records were removed.</returns>
    ValueTask<int> PurgeAsync(DateTimeOffset completedBefore, CancellationToken cancellationToken = default);
}
