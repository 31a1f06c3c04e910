using Kobbopay.Sdk;

namespace Kobbopay.Reconciliation;

/// <summary>One step of a payment's lifecycle, from the gateway's event export: the context an escalation needs.</summary>
/// <param name="PaymentId">The payment.</param>
/// <param name="EventId">The event id (<c>evt_…</c>), or <see langword="null"/> when the gateway sent none.</param>
/// <param name="Type">The event type, for example <c>payment.paid</c>.</param>
/// <param name="Sequence">The event's position among the payment's events, or <see langword="null"/>.</param>
/// <param name="CreatedAt">When it happened.</param>
/// <param name="Status">The payment's status after the event, or <see langword="null"/> when the event carries no payment.</param>
/// <param name="AmountReceived">What had arrived by then (an invariant decimal string), or <see langword="null"/>.</param>
public sealed record PaymentHistoryEntry(
    string PaymentId,
    string? EventId,
    string Type,
    long? Sequence,
    DateTimeOffset CreatedAt,
    string? Status,
    string? AmountReceived)
{
    /// <summary>Creates the entry of an exported event.</summary>
    /// <param name="paymentEvent">The event.</param>
    /// <returns>The entry.</returns>
    public static PaymentHistoryEntry From(PaymentEvent paymentEvent)
    {
        Guard.NotNull(paymentEvent);
        Payment? payment = paymentEvent.Payment;
        return new(
            paymentEvent.PaymentId,
            paymentEvent.Id,
            paymentEvent.Type.Value,
            paymentEvent.Sequence,
            paymentEvent.CreatedAt,
            payment?.Status.Value,
            Money.Format(payment?.AmountReceived));
    }
}
