using System.Collections.Frozen;
using Kobbopay.Sdk;

namespace Kobbopay.Reconciliation;

/// <summary>
/// The explicit, versioned mapping from the merchant's own order statuses to the gateway's lifecycle. A status the
/// mapping does not list is never guessed: the reconciler reports it as <see cref="ReconciliationKinds.UnmappedStatus"/>.
/// Change the version whenever the mapping changes, so every report says which mapping judged it.
/// </summary>
public sealed class OrderStatusMapping
{
    private readonly FrozenDictionary<string, PaymentStatus> _statuses;

    /// <summary>Initializes a new instance of the <see cref="OrderStatusMapping"/> class.</summary>
    /// <param name="version">The mapping's version, for example <c>erp-2026-11</c>; it appears in every summary.</param>
    /// <param name="statuses">Each merchant status (matched exactly, ordinally) and the gateway status it means.</param>
    /// <exception cref="ArgumentException">The version is empty, the mapping is empty, or a merchant status is empty or maps to an empty status.</exception>
    public OrderStatusMapping(string version, IReadOnlyDictionary<string, PaymentStatus> statuses)
    {
        Guard.NotNullOrEmpty(version);
        Guard.NotNull(statuses);
        if (statuses.Count == 0)
        {
            throw new ArgumentException("The status mapping must map at least one merchant status.", nameof(statuses));
        }

        foreach (KeyValuePair<string, PaymentStatus> pair in statuses)
        {
            if (string.IsNullOrEmpty(pair.Key) || pair.Value.Value.Length == 0)
            {
                throw new ArgumentException($"The status mapping {version} has an empty merchant status or maps '{pair.Key}' to an empty gateway status.", nameof(statuses));
            }
        }

        Version = version;
        _statuses = statuses.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Gets the mapping that reads the gateway's own status names (<c>pending</c>, <c>paid</c>, <c>confirmed</c>, <c>expired</c>) as themselves; its version is <c>kobbopay-identity-1</c>.</summary>
    public static OrderStatusMapping Identity { get; } = new(
        "kobbopay-identity-1",
        new[] { PaymentStatus.Pending, PaymentStatus.Paid, PaymentStatus.Confirmed, PaymentStatus.Expired }.ToDictionary(s => s.Value, StringComparer.Ordinal));

    /// <summary>Gets the mapping's version.</summary>
    public string Version { get; }

    /// <summary>Gets every merchant status the mapping knows and the gateway status it means.</summary>
    public IReadOnlyDictionary<string, PaymentStatus> Statuses => _statuses;

    /// <summary>Maps a merchant status to the gateway's lifecycle.</summary>
    /// <param name="merchantStatus">The merchant's status.</param>
    /// <param name="status">The gateway status it means, when mapped.</param>
    /// <returns><see langword="true"/> when the mapping lists <paramref name="merchantStatus"/>; otherwise <see langword="false"/>, and nothing is guessed.</returns>
    public bool TryMap(string? merchantStatus, out PaymentStatus status)
    {
        if (merchantStatus is not null && _statuses.TryGetValue(merchantStatus, out status))
        {
            return true;
        }

        status = default;
        return false;
    }

    /// <inheritdoc/>
    public override string ToString() => $"Order status mapping {Version} ({_statuses.Count} statuses)";
}
