using System.Collections.Concurrent;
using Kobbopay.Sdk;

namespace Kobbopay.Samples.WebhookController;

/// <summary>The merchant's view of its payments. In a real backend: your database, written in one transaction with the event's dedupe key.</summary>
public sealed class PaymentLedger
{
    private readonly ConcurrentDictionary<string, (long Sequence, string Status)> _payments = new(StringComparer.Ordinal);

    /// <summary>Records the status an event moves its payment to; an event older than the one recorded changes nothing.</summary>
    /// <param name="paymentEvent">The verified event.</param>
    public void Apply(PaymentEvent paymentEvent)
    {
        if (paymentEvent.Data?.Payment is not { } payment)
        {
            return;
        }

        (long, string) next = (paymentEvent.Sequence ?? 0, payment.Status.ToString());
        _payments.AddOrUpdate(paymentEvent.PaymentId, next, (_, current) => next.Item1 >= current.Sequence ? next : current);
    }

    /// <summary>Gets the status a payment was last moved to, or <see langword="null"/>.</summary>
    /// <param name="paymentId">The payment.</param>
    /// <returns>The status, or <see langword="null"/> when no event for it arrived.</returns>
    public string? Status(string paymentId) => _payments.TryGetValue(paymentId, out (long, string Status) entry) ? entry.Status : null;
}
