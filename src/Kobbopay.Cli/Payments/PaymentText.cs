using System.Globalization;
using System.Text;
using Kobbopay.Sdk;

namespace Kobbopay.Cli.Payments;

/// <summary>Formats payments and times for a reader: one field a line, RFC 3339 UTC times, amounts as the gateway writes them.</summary>
internal static class PaymentText
{
    /// <summary>Describes a payment as aligned <c>name value</c> lines; fields that do not apply yet are left out.</summary>
    /// <param name="payment">The payment.</param>
    /// <returns>The lines, without a final newline.</returns>
    public static string Describe(Payment payment)
    {
        StringBuilder text = new();
        Line(text, "id", payment.Id);
        Line(text, "status", payment.Status.Value);
        Line(text, "order", payment.OrderId);
        Line(text, "amount", $"{Amount(payment.Amount)} {payment.Currency} on {payment.Network}");
        Line(text, "received", payment.AmountReceived is { } received ? $"{Amount(received)} {payment.Currency}" : null);
        Line(text, "address", payment.Address);
        Line(text, "tx hash", payment.TxHash);
        Line(text, "confirmations", payment.Confirmations?.ToString(CultureInfo.InvariantCulture));
        Line(text, "created", Time(payment.CreatedAt));
        Line(text, "updated", Time(payment.UpdatedAt));
        Line(text, "expires", Time(payment.ExpiresAt));
        Line(text, "paid", payment.PaidAt is { } paid ? Time(paid) : null);
        Line(text, "confirmed", payment.ConfirmedAt is { } confirmed ? Time(confirmed) : null);
        Line(text, "expired", payment.ExpiredAt is { } expired ? Time(expired) : null);
        Line(text, "status url", payment.StatusUrl?.ToString());
        foreach (KeyValuePair<string, string> entry in payment.Metadata ?? new Dictionary<string, string>())
        {
            Line(text, "metadata", $"{entry.Key}={entry.Value}");
        }

        return text.ToString().TrimEnd();
    }

    /// <summary>Formats a time as RFC 3339 UTC.</summary>
    /// <param name="time">The time.</param>
    /// <returns>For example <c>2026-11-21T10:00:00Z</c>.</returns>
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>Formats an amount as the gateway writes it (invariant culture, no exponent).</summary>
    /// <param name="amount">The amount.</param>
    /// <returns>For example <c>10.50</c>.</returns>
    public static string Amount(decimal amount) => amount.ToString(CultureInfo.InvariantCulture);

    private static void Line(StringBuilder text, string name, string? value)
    {
        if (value is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"{name,-14}{value}").AppendLine();
        }
    }
}
