using System.Text.Json;

namespace Kobbopay.Sdk;

/// <summary>Reads and writes Kobbopay models as the gateway does (source-generated JSON, money as strings), for webhook bodies, exports and tests.</summary>
public static class KobbopaySerializer
{
    /// <summary>Gets the serializer options of the contract (web defaults, source-generated metadata of every Kobbopay model).</summary>
    public static JsonSerializerOptions Options => KobbopayJsonContext.Default.Options;

    /// <summary>Reads a payment event from UTF-8 JSON.</summary>
    /// <param name="utf8Json">The JSON.</param>
    /// <returns>The event; unknown types and fields are kept.</returns>
    /// <exception cref="JsonException">The JSON is not an event.</exception>
    public static PaymentEvent DeserializePaymentEvent(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize(utf8Json, KobbopayJsonContext.Default.PaymentEvent) ?? throw new JsonException("The JSON is null, not an event.");

    /// <summary>Reads a payment from UTF-8 JSON.</summary>
    /// <param name="utf8Json">The JSON.</param>
    /// <returns>The payment; unknown statuses and fields are kept.</returns>
    /// <exception cref="JsonException">The JSON is not a payment.</exception>
    public static Payment DeserializePayment(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize(utf8Json, KobbopayJsonContext.Default.Payment) ?? throw new JsonException("The JSON is null, not a payment.");

    /// <summary>Writes a payment event as UTF-8 JSON, the way the gateway sends it.</summary>
    /// <param name="paymentEvent">The event.</param>
    /// <returns>The JSON.</returns>
    public static byte[] SerializeToUtf8Bytes(PaymentEvent paymentEvent)
    {
        ArgumentNullException.ThrowIfNull(paymentEvent);
        return JsonSerializer.SerializeToUtf8Bytes(paymentEvent, KobbopayJsonContext.Default.PaymentEvent);
    }

    /// <summary>Writes a payment as UTF-8 JSON, the way the gateway sends it.</summary>
    /// <param name="payment">The payment.</param>
    /// <returns>The JSON.</returns>
    public static byte[] SerializeToUtf8Bytes(Payment payment)
    {
        ArgumentNullException.ThrowIfNull(payment);
        return JsonSerializer.SerializeToUtf8Bytes(payment, KobbopayJsonContext.Default.Payment);
    }
}
