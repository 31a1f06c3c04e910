using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kobbopay.Sdk;

/// <summary>
/// The type of a payment event. Forward-compatible: a type this SDK does not know (new ones
/// arrive) is kept as its string and written back unchanged, never an error.
/// </summary>
[JsonConverter(typeof(PaymentEventTypeJsonConverter))]
public readonly struct PaymentEventType : IEquatable<PaymentEventType>
{
    /// <summary>Initializes a new instance of the <see cref="PaymentEventType"/> struct.</summary>
    /// <param name="value">The type as the gateway spells it.</param>
    /// <exception cref="ArgumentException"><paramref name="value"/> is empty.</exception>
    public PaymentEventType(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        Value = value;
    }

    /// <summary>Gets the type <c>payment.created</c>.</summary>
    public static PaymentEventType Created { get; } = new("payment.created");

    /// <summary>Gets the type <c>payment.updated</c>: a change without a status transition, such as a partial payment.</summary>
    public static PaymentEventType Updated { get; } = new("payment.updated");

    /// <summary>Gets the type <c>payment.paid</c>.</summary>
    public static PaymentEventType Paid { get; } = new("payment.paid");

    /// <summary>Gets the type <c>payment.confirmed</c>.</summary>
    public static PaymentEventType Confirmed { get; } = new("payment.confirmed");

    /// <summary>Gets the type <c>payment.expired</c>.</summary>
    public static PaymentEventType Expired { get; } = new("payment.expired");

    /// <summary>Gets the type <c>payment.late_payment</c>: funds arrived after expiry, for manual review.</summary>
    public static PaymentEventType LatePayment { get; } = new("payment.late_payment");

    /// <summary>Gets the type as the gateway spells it; empty for <see langword="default"/>.</summary>
    public string Value => field ?? string.Empty;

    /// <summary>Compares two types by their strings, ordinally.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns><see langword="true"/> when equal.</returns>
    public static bool operator ==(PaymentEventType left, PaymentEventType right) => left.Equals(right);

    /// <summary>Compares two types by their strings, ordinally.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns><see langword="true"/> when different.</returns>
    public static bool operator !=(PaymentEventType left, PaymentEventType right) => !left.Equals(right);

    /// <inheritdoc/>
    public bool Equals(PaymentEventType other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is PaymentEventType other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <summary>Returns the type string.</summary>
    /// <returns>The type as the gateway spells it.</returns>
    public override string ToString() => Value;
}

/// <summary>Reads and writes <see cref="PaymentEventType"/> as its string.</summary>
internal sealed class PaymentEventTypeJsonConverter : JsonConverter<PaymentEventType>
{
    public override PaymentEventType Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && reader.GetString() is { Length: > 0 } s
            ? new PaymentEventType(s)
            : throw new JsonException("An event type must be a non-empty string.");

    public override void Write(Utf8JsonWriter writer, PaymentEventType value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
}
