using Kobbopay.Sdk;
using Kobbopay.Contracts;

namespace Kobbopay.Webhooks;

/// <summary>
/// Tells whether an event moves a payment forward, so that a late <c>payment.paid</c> never
/// overwrites <c>confirmed</c>: by sequence when both sides have one, else by the rank of the
/// status the event carries. Statuses are ranked by configuration, never guessed.
/// </summary>
public sealed class PaymentLifecycleOrdering
{
    private readonly Dictionary<string, int> _ranks;

    /// <summary>Initializes a new instance of the <see cref="PaymentLifecycleOrdering"/> class.</summary>
    /// <param name="statusRanks">Each status's rank; <see langword="null"/> for pending 0, paid 1, confirmed 2, expired 2.</param>
    public PaymentLifecycleOrdering(IReadOnlyDictionary<string, int>? statusRanks = null) =>
        _ranks = statusRanks is null
            ? new(KobbopayLifecycle.DefaultStatusRanks, StringComparer.Ordinal)
            : new(statusRanks, StringComparer.Ordinal);

    /// <summary>Tells whether <paramref name="incoming"/> moves a payment forward from what is recorded.</summary>
    /// <param name="incoming">The event received.</param>
    /// <param name="currentSequence">The sequence of the last event applied, if known.</param>
    /// <param name="currentStatus">The status recorded now, if any.</param>
    /// <returns><see langword="true"/> when the event should be applied: nothing is recorded yet, its sequence is higher, or (without sequences) its status ranks higher. An unranked status never overrides a ranked one.</returns>
    public bool IsForward(PaymentEvent incoming, long? currentSequence, PaymentStatus? currentStatus)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        if (currentSequence is null && currentStatus is null)
        {
            return true;
        }

        if (incoming.Sequence is { } next && currentSequence is { } current)
        {
            return next > current;
        }

        if (currentStatus is not { } now)
        {
            return true; // only a sequence is recorded and the event has none: nothing to compare, nothing to protect
        }

        // An unranked status on either side is never guessed at: it does not move the payment.
        return incoming.Payment?.Status is { } target && KobbopayLifecycle.IsForward(now, target, _ranks);
    }

    /// <summary>Gets a status's configured rank.</summary>
    /// <param name="status">The status.</param>
    /// <param name="rank">Its rank, when configured.</param>
    /// <returns><see langword="true"/> when the status is ranked.</returns>
    public bool TryGetRank(PaymentStatus status, out int rank) => _ranks.TryGetValue(status.Value, out rank);
}
