namespace Kobbopay.Simulator.Internal;

/// <summary>A payment as the engine holds it. Mutated only under the engine's lock.</summary>
internal sealed class PaymentRecord
{
    public required long Ordinal { get; init; }

    public required string Id { get; init; }

    public required EnvironmentState Environment { get; init; }

    public required decimal Amount { get; init; }

    public required string Currency { get; init; }

    public required string Network { get; init; }

    public required string OrderId { get; init; }

    public required IReadOnlyDictionary<string, string>? Metadata { get; init; }

    public required string Address { get; init; }

    public required string StatusToken { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public string Status { get; set; } = PaymentStatuses.Pending;

    public decimal? AmountReceived { get; set; }

    public int? Confirmations { get; set; }

    public string? TxHash { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? PaidAt { get; set; }

    public DateTimeOffset? ConfirmedAt { get; set; }

    public DateTimeOffset? ExpiredAt { get; set; }

    public int LastSequence { get; set; }
}

internal static class PaymentStatuses
{
    public const string Pending = "pending";
    public const string Paid = "paid";
    public const string Confirmed = "confirmed";
    public const string Expired = "expired";

    public static bool IsKnown(string value) => value is Pending or Paid or Confirmed or Expired;
}

internal static class EventTypes
{
    public const string Created = "payment.created";
    public const string Updated = "payment.updated";
    public const string Paid = "payment.paid";
    public const string Confirmed = "payment.confirmed";
    public const string Expired = "payment.expired";
    public const string LatePayment = "payment.late_payment";

    public static bool IsValidFilter(string value) =>
        value.Length is > 0 and <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
}

/// <summary>An event as the engine holds it: immutable, with the payment as it was when the event happened.</summary>
internal sealed record EventRecord(long Ordinal, EventDto Dto, DateTimeOffset CreatedAt);

/// <summary>One hosted environment: its keys' rails, its payments and its events, in creation order.</summary>
internal sealed class EnvironmentState(string name, bool isProduction, IReadOnlyList<SimulatorRail> rails)
{
    public string Name { get; } = name;

    public bool IsProduction { get; } = isProduction;

    public IReadOnlyList<SimulatorRail> Rails { get; } = rails;

    /// <summary>Payments in creation order; a payment's ordinal is its index plus one.</summary>
    public List<PaymentRecord> Payments { get; } = [];

    /// <summary>Events in the order they happened; an event's ordinal is its index plus one.</summary>
    public List<EventRecord> Events { get; } = [];

    public SimulatorRail? FindRail(string network, string currency)
    {
        foreach (SimulatorRail rail in Rails)
        {
            if (string.Equals(rail.Network, network, StringComparison.OrdinalIgnoreCase)
                && string.Equals(rail.Currency, currency, StringComparison.OrdinalIgnoreCase))
            {
                return rail;
            }
        }

        return null;
    }
}
