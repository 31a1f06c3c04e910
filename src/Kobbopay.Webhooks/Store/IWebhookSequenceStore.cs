namespace Kobbopay.Webhooks;

/// <summary>
/// An <see cref="IWebhookEventStore"/> that also remembers the highest event sequence handled per payment, so
/// that an event that would move a payment backward (a <c>payment.paid</c> arriving after <c>payment.confirmed</c>) is
/// recognised as stale. With such a store the webhook endpoint keeps stale events from handlers; the in-memory,
/// SQLite and PostgreSQL stores are. With a store that only implements <see cref="IWebhookEventStore"/> no event is
/// judged stale, as before.
/// </summary>
/// <remarks>
/// The recorded sequence is a maximum: a write never lowers it, however writers interleave. Payment keys are namespaced
/// by the consuming endpoint, as dedupe keys are. Records of sequences are small (one per payment) and are not removed by
/// <see cref="IWebhookEventStore.PurgeAsync"/>.
/// </remarks>
public interface IWebhookSequenceStore : IWebhookEventStore
{
    /// <summary>Gets the highest sequence handled for a payment.</summary>
    /// <param name="paymentKey">The payment's key (namespaced by the consuming endpoint).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The highest sequence recorded, or <see langword="null"/> when none is.</returns>
    ValueTask<long?> GetHandledSequenceAsync(string paymentKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// Begins an event (as <see cref="IWebhookEventStore.TryBeginAsync"/>) and, when it began, reads its payment's highest
    /// handled sequence (as <see cref="GetHandledSequenceAsync"/>) into <see cref="WebhookBeginResult.HandledSequence"/>. A
    /// store that can does both in one statement, one round trip; this default begins, then reads, and abandons the lease
    /// it took when the read fails (best effort: else the lease lapses by itself).
    /// </summary>
    /// <param name="key">The dedupe key.</param>
    /// <param name="lease">How long the caller may hold the event before another delivery may take it over.</param>
    /// <param name="paymentKey">The payment's key (namespaced by the consuming endpoint).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The begin's result; when it began, with the payment's highest handled sequence, or <see langword="null"/> when none is recorded.</returns>
    async ValueTask<WebhookBeginResult> TryBeginAsync(string key, TimeSpan lease, string paymentKey, CancellationToken cancellationToken = default)
    {
        WebhookBeginResult begin = await TryBeginAsync(key, lease, cancellationToken).ConfigureAwait(false);
        if (begin.Status != WebhookBeginStatus.Began)
        {
            return begin;
        }

        try
        {
            return begin with { HandledSequence = await GetHandledSequenceAsync(paymentKey, cancellationToken).ConfigureAwait(false) };
        }
        catch
        {
            await AbandonQuietlyAsync(key, begin.LeaseId).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Raises the highest sequence handled for a payment to <paramref name="sequence"/>, atomically; a lower or equal one leaves it as it is.</summary>
    /// <param name="paymentKey">The payment's key.</param>
    /// <param name="sequence">The sequence of the event whose handlers succeeded.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the sequence is recorded (durably, for a durable store).</returns>
    ValueTask RecordHandledSequenceAsync(string paymentKey, long sequence, CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks an event processed (as <see cref="IWebhookEventStore.CompleteAsync"/>) and raises its payment's highest
    /// handled sequence (as <see cref="RecordHandledSequenceAsync"/>). A store that can does both in one transaction; this
    /// default records the sequence first, then completes, so a crash between the two leaves the event open and its
    /// redelivery judged stale (its handlers already succeeded) rather than a completed event whose sequence was lost.
    /// </summary>
    /// <param name="key">The dedupe key.</param>
    /// <param name="leaseId">The lease from <see cref="IWebhookEventStore.TryBeginAsync"/>.</param>
    /// <param name="paymentKey">The payment's key.</param>
    /// <param name="sequence">The event's sequence.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="false"/> when the lease is no longer the caller's (the sequence is recorded anyway: the handlers succeeded).</returns>
    async ValueTask<bool> CompleteAsync(string key, Guid leaseId, string paymentKey, long sequence, CancellationToken cancellationToken = default)
    {
        await RecordHandledSequenceAsync(paymentKey, sequence, cancellationToken).ConfigureAwait(false);
        return await CompleteAsync(key, leaseId, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask AbandonQuietlyAsync(string key, Guid leaseId)
    {
        try
        {
            await AbandonAsync(key, leaseId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The read's failure is the one the caller sees; the lease lapses by itself.
        }
    }
}
