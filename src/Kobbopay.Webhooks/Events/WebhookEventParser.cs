using System.Text.Json;
using Kobbopay.Sdk;

namespace Kobbopay.Webhooks;

/// <summary>Parses a webhook's event envelope. Call it only on a body whose signature has been verified.</summary>
public static class WebhookEventParser
{
    /// <summary>Parses an event; unknown types and fields are kept.</summary>
    /// <param name="body">The verified raw body.</param>
    /// <returns>The event.</returns>
    /// <exception cref="JsonException">The body is not an event envelope.</exception>
    public static PaymentEvent Parse(ReadOnlySpan<byte> body)
    {
        PaymentEvent e = KobbopaySerializer.DeserializePaymentEvent(body);
        return string.IsNullOrEmpty(e.PaymentId) ? throw new JsonException("The event has no paymentId.") : e;
    }

    /// <summary>Parses an event, reporting failure instead of throwing.</summary>
    /// <param name="body">The verified raw body.</param>
    /// <param name="paymentEvent">The event, when it parsed.</param>
    /// <param name="error">Why it did not parse (never echoes the body), when it did not.</param>
    /// <returns><see langword="true"/> when the body is an event envelope.</returns>
    public static bool TryParse(ReadOnlySpan<byte> body, out PaymentEvent? paymentEvent, out string? error)
    {
        try
        {
            paymentEvent = Parse(body);
            error = null;
            return true;
        }
        catch (JsonException ex)
        {
            paymentEvent = null;
            error = ex.Path is { Length: > 0 } path ? $"Not an event envelope (at {path})." : "Not an event envelope: " + (ex.Message.Length > 120 ? ex.Message[..120] : ex.Message);
            return false;
        }
    }
}
