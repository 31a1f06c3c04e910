using System.Collections.Frozen;
using Kobbopay.Sdk;

namespace Kobbopay.Contracts;

/// <summary>
/// The contract's lifecycle, ranked: pending (0) before paid (1) before the terminal confirmed and expired (2). A move
/// to a lower or equal rank is never a forward move. Deployments may name statuses of their own; rank them in your
/// configuration (for example <c>Kobbopay:StatusRanks</c>) rather than letting anything guess.
/// </summary>
public static class KobbopayLifecycle
{
    /// <summary>Gets the default rank of each status: pending 0, paid 1, confirmed 2, expired 2.</summary>
    public static IReadOnlyDictionary<string, int> DefaultStatusRanks { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        [PaymentStatus.Pending.Value] = 0,
        [PaymentStatus.Paid.Value] = 1,
        [PaymentStatus.Confirmed.Value] = 2,
        [PaymentStatus.Expired.Value] = 2,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Gets the statuses after which a payment never changes again: confirmed and expired.</summary>
    public static IReadOnlySet<string> DefaultTerminalStatuses { get; } =
        new[] { PaymentStatus.Confirmed.Value, PaymentStatus.Expired.Value }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Tells whether moving from <paramref name="current"/> to <paramref name="target"/> is forward under <paramref name="statusRanks"/>.</summary>
    /// <param name="current">The status the payment has.</param>
    /// <param name="target">The status an event would move it to.</param>
    /// <param name="statusRanks">The ranks; <see langword="null"/> for <see cref="DefaultStatusRanks"/>.</param>
    /// <returns><see langword="true"/> only when both are ranked and the target ranks strictly higher; an unranked status is never forward.</returns>
    public static bool IsForward(PaymentStatus current, PaymentStatus target, IReadOnlyDictionary<string, int>? statusRanks = null)
    {
        statusRanks ??= DefaultStatusRanks;
        return statusRanks.TryGetValue(current.Value, out int from)
            && statusRanks.TryGetValue(target.Value, out int to)
            && to > from;
    }
}
