using System.Security.Cryptography;
using System.Text;

namespace Kobbopay.Simulator.Internal;

/// <summary>
/// A payment as the engine holds it: what creation fixed, plus <see cref="State"/>, what the last transition left.
/// Compact on purpose (the simulator keeps every payment): times as ticks, the rail instead of its two names, the address
/// derived from the id, and no per-transition fields until a transition happens. Mutated only under the engine's lock.
/// </summary>
internal sealed class PaymentRecord
{
    private readonly long _createdAt;
    private readonly long _expiresAt;

    /// <summary>Gets the payment's position in its environment: its index in <see cref="EnvironmentState.Payments"/> plus one.</summary>
    public required int Ordinal { get; init; }

    /// <summary>
    /// Gets the ordinal of the order's previous payment in the same environment, or 0 if this is the order's first:
    /// with <see cref="EnvironmentState.LatestByOrder"/> it chains an order's payments newest first, so listing one
    /// order reads its own payments only. An int beside <see cref="Ordinal"/> fills what was padding: no extra bytes.
    /// </summary>
    public required int PreviousOfOrder { get; init; }

    /// <summary>Gets the payment id (<c>pay_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Gets the environment the payment belongs to.</summary>
    public required EnvironmentState Environment { get; init; }

    /// <summary>Gets the rail (network and currency) the payment is on.</summary>
    public required SimulatorRail Rail { get; init; }

    /// <summary>Gets the amount asked, with the scale it was written with.</summary>
    public required decimal Amount { get; init; }

    /// <summary>Gets the merchant's order id.</summary>
    public required string OrderId { get; init; }

    /// <summary>Gets the merchant's metadata; never mutated after creation.</summary>
    public required IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>Gets the secret of the payer status page (<c>/pay/{token}</c>).</summary>
    public required string StatusToken { get; init; }

    /// <summary>Gets the simulator's base address when the payment was created: its snapshots' <c>statusUrl</c> is built on it, so a replayed create answers byte for byte what the first did.</summary>
    public required string BaseAddress { get; init; }

    /// <summary>Gets when the payment was created (whole seconds, UTC).</summary>
    public required DateTimeOffset CreatedAt { get => Ticks.ToTime(_createdAt); init => _createdAt = value.UtcTicks; }

    /// <summary>Gets when the payment's window ends (UTC).</summary>
    public required DateTimeOffset ExpiresAt { get => Ticks.ToTime(_expiresAt); init => _expiresAt = value.UtcTicks; }

    /// <summary>Gets or sets what the last transition left; <see langword="null"/> while nothing happened since creation.</summary>
    public PaymentState? State { get; set; }

    /// <summary>Gets the currency code (the rail's spelling).</summary>
    public string Currency => Rail.Currency;

    /// <summary>Gets the network name (the rail's spelling).</summary>
    public string Network => Rail.Network;

    /// <summary>Gets the current status.</summary>
    public string Status => State?.Status ?? PaymentStatuses.Pending;

    /// <summary>Gets the funds received so far, or <see langword="null"/> before any arrived.</summary>
    public decimal? AmountReceived => State?.AmountReceived;

    /// <summary>Gets the confirmations, or <see langword="null"/> before the payment was paid.</summary>
    public int? Confirmations => State?.Confirmations;

    /// <summary>Gets the hash of the last transaction, or <see langword="null"/> before any arrived.</summary>
    public string? TxHash => State?.TxHash;

    /// <summary>Gets the sequence number of the payment's last event (1 for <c>payment.created</c>).</summary>
    public int LastSequence => State?.Sequence ?? 1;

    /// <summary>Gets the deposit address: derived from the id, so it is not stored.</summary>
    public string Address => AddressOf(Id);

    /// <summary>The deposit address of a payment id: <c>sim1</c> and the first 38 hex digits of the id's SHA-256.</summary>
    /// <param name="id">The payment id.</param>
    /// <returns>The address.</returns>
    public static string AddressOf(string id)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(id), hash);
        return "sim1" + Convert.ToHexStringLower(hash[..19]);
    }

    /// <summary>The payment as the create answered it: pending, nothing received, updated when created.</summary>
    /// <returns>The snapshot; built from fields creation fixed, so it is the same every time.</returns>
    public PaymentDto ToCreatedDto() => ToDto(null, BaseAddress);

    /// <summary>The payment with the given state.</summary>
    /// <param name="state">What a transition left, or <see langword="null"/> for the payment as created.</param>
    /// <param name="baseAddress">The base of <c>statusUrl</c>.</param>
    /// <returns>The wire shape.</returns>
    public PaymentDto ToDto(PaymentState? state, string baseAddress) => new(
        Id,
        state?.Status ?? PaymentStatuses.Pending,
        Wire.Money(Amount),
        Currency,
        Network,
        OrderId,
        Metadata,
        Address,
        baseAddress + "pay/" + StatusToken,
        Wire.Money(state?.AmountReceived),
        state?.Confirmations,
        state?.TxHash,
        Wire.Timestamp(CreatedAt),
        Wire.Timestamp(state?.UpdatedAt ?? CreatedAt),
        Wire.Timestamp(ExpiresAt),
        Wire.Timestamp(state?.PaidAt),
        Wire.Timestamp(state?.ConfirmedAt),
        Wire.Timestamp(state?.ExpiredAt));
}

/// <summary>
/// What one transition (one event after <c>payment.created</c>) left a payment as: the fields transitions change, and
/// the event that changed them. Immutable: a transition makes a new one, so the event keeps the payment as it was.
/// </summary>
internal sealed record PaymentState
{
    private readonly long _updatedAt;
    private readonly long _paidAt = Ticks.None;
    private readonly long _confirmedAt = Ticks.None;
    private readonly long _expiredAt = Ticks.None;

    /// <summary>Gets the sequence number of the event that made this state.</summary>
    public required int Sequence { get; init; }

    /// <summary>Gets the type of the event that made this state.</summary>
    public required string EventType { get; init; }

    /// <summary>Gets the status before that event.</summary>
    public required string PreviousStatus { get; init; }

    /// <summary>Gets the status after it.</summary>
    public required string Status { get; init; }

    /// <summary>Gets the funds received so far.</summary>
    public decimal? AmountReceived { get; init; }

    /// <summary>Gets the confirmations, or <see langword="null"/> before the payment was paid.</summary>
    public int? Confirmations { get; init; }

    /// <summary>Gets the hash of the last transaction.</summary>
    public string? TxHash { get; init; }

    /// <summary>Gets when the event happened, which is when the payment was last updated.</summary>
    public required DateTimeOffset UpdatedAt { get => Ticks.ToTime(_updatedAt); init => _updatedAt = value.UtcTicks; }

    /// <summary>Gets when the payment became paid, if it did.</summary>
    public DateTimeOffset? PaidAt { get => Ticks.ToTime(_paidAt, null); init => _paidAt = Ticks.Of(value); }

    /// <summary>Gets when the payment became confirmed, if it did.</summary>
    public DateTimeOffset? ConfirmedAt { get => Ticks.ToTime(_confirmedAt, null); init => _confirmedAt = Ticks.Of(value); }

    /// <summary>Gets when the payment expired, if it did.</summary>
    public DateTimeOffset? ExpiredAt { get => Ticks.ToTime(_expiredAt, null); init => _expiredAt = Ticks.Of(value); }
}

/// <summary>UTC times held as ticks (8 bytes instead of a 16-byte <see cref="DateTimeOffset"/>, 24 when nullable).</summary>
internal static class Ticks
{
    /// <summary>No time: below every real tick count.</summary>
    public const long None = long.MinValue;

    public static DateTimeOffset ToTime(long ticks) => new(ticks, TimeSpan.Zero);

    public static DateTimeOffset? ToTime(long ticks, DateTimeOffset? none) => ticks == None ? none : new DateTimeOffset(ticks, TimeSpan.Zero);

    public static long Of(DateTimeOffset? value) => value is { } v ? v.UtcTicks : None;
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

/// <summary>
/// An event as the engine holds it: immutable. The payment as it was when the event happened is not copied: it is the
/// payment's creation fields with <see cref="State"/>, the state this event left (none for <c>payment.created</c>).
/// </summary>
internal sealed class EventRecord(string id, PaymentRecord payment, PaymentState? state)
{
    /// <summary>Gets the event id (<c>evt_…</c>).</summary>
    public string Id { get; } = id;

    /// <summary>Gets the payment the event is about.</summary>
    public PaymentRecord Payment { get; } = payment;

    /// <summary>Gets the state the event left the payment in; <see langword="null"/> for <c>payment.created</c>.</summary>
    public PaymentState? State { get; } = state;

    /// <summary>Gets the event type.</summary>
    public string Type => State?.EventType ?? EventTypes.Created;

    /// <summary>Gets when the event happened.</summary>
    public DateTimeOffset CreatedAt => State?.UpdatedAt ?? Payment.CreatedAt;

    /// <summary>The event's wire shape, with the payment as the event left it.</summary>
    /// <returns>The same shape every time: everything it is built from is immutable.</returns>
    public EventDto ToDto() => new(
        Id,
        Type,
        Wire.Timestamp(CreatedAt),
        Payment.Id,
        State?.Sequence ?? 1,
        State?.PreviousStatus,
        new EventDataDto(Payment.ToDto(State, Payment.BaseAddress)));
}

/// <summary>One hosted environment: its keys' rails, its payments and its events, in creation order.</summary>
internal sealed class EnvironmentState(string name, bool isProduction, IReadOnlyList<SimulatorRail> rails)
{
    public string Name { get; } = name;

    public bool IsProduction { get; } = isProduction;

    public IReadOnlyList<SimulatorRail> Rails { get; } = rails;

    /// <summary>Payments in creation order; a payment's ordinal is its index plus one.</summary>
    public List<PaymentRecord> Payments { get; } = [];

    /// <summary>The ordinal of each order's newest payment (the head of its <see cref="PaymentRecord.PreviousOfOrder"/> chain).</summary>
    public Dictionary<string, int> LatestByOrder { get; } = new(StringComparer.Ordinal);

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
