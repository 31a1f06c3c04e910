using System.Globalization;
using Kobbopay.Sdk;

namespace Kobbopay.Webhooks;

/// <summary>The key a delivery is deduplicated on, as the gateway's docs prescribe.</summary>
public static class WebhookDedupeKey
{
    /// <summary>Gets the dedupe key of an event: its id; without one, payment id + type + sequence; without a sequence, payment id + type + the status it moves to.</summary>
    /// <param name="paymentEvent">The event.</param>
    /// <returns>The key.</returns>
    public static string For(PaymentEvent paymentEvent)
    {
        ArgumentNullException.ThrowIfNull(paymentEvent);
        if (!string.IsNullOrEmpty(paymentEvent.Id))
        {
            return paymentEvent.Id;
        }

        string transition = paymentEvent.Sequence is { } sequence
            ? "seq-" + sequence.ToString(CultureInfo.InvariantCulture)
            : "to-" + (paymentEvent.Payment?.Status.Value ?? "unknown");
        return $"{paymentEvent.PaymentId}:{paymentEvent.Type.Value}:{transition}";
    }
}
