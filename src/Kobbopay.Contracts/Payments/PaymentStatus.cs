using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kobbopay.Sdk;

/// <summary>
/// A payment's lifecycle status. Forward-compatible: a status this SDK does not know (deployments
/// name their own) is kept as its string and written back unchanged, never an error.
/// </summary>
[JsonConverter(typeof(PaymentStatusJsonConverter))]
public readonly struct PaymentStatus : IEquatable<PaymentStatus>
{
    /// <summary>Initializes a new instance of the <see cref="PaymentStatus"/> struct.</summary>
    /// <param name="value">The status as the gateway spells it.</param>
    /// <exception cref="ArgumentException"><paramref name="value"/> is empty.</exception>
    public PaymentStatus(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        Value = value;
    }

    /// <summary>Gets the status <c>pending</c>: created, awaiting funds.</summary>
    public static PaymentStatus Pending { get; } = new("pending");

    /// <summary>Gets the status <c>paid</c>: funds detected, not yet final.</summary>
    public static PaymentStatus Paid { get; } = new("paid");

    /// <summary>Gets the status <c>confirmed</c>: final under the rail's confirmation policy. Terminal.</summary>
    public static PaymentStatus Confirmed { get; } = new("confirmed");

    /// <summary>Gets the status <c>expired</c>: the payment window ended. Terminal.</summary>
    public static PaymentStatus Expired { get; } = new("expired");

    /// <summary>Gets the status as the gateway spells it; empty for <see langword="default"/>.</summary>
    public string Value => field ?? string.Empty;

    /// <summary>Compares two statuses by their strings, ordinally.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns><see langword="true"/> when equal.</returns>
    public static bool operator ==(PaymentStatus left, PaymentStatus right) => left.Equals(right);

    /// <summary>Compares two statuses by their strings, ordinally.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns><see langword="true"/> when different.</returns>
    public static bool operator !=(PaymentStatus left, PaymentStatus right) => !left.Equals(right);

    /// <inheritdoc/>
    public bool Equals(PaymentStatus other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is PaymentStatus other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <summary>Returns the status string.</summary>
    /// <returns>The status as the gateway spells it.</returns>
    public override string ToString() => Value;
}

/// <summary>Reads and writes <see cref="PaymentStatus"/> as its string.</summary>
internal sealed class PaymentStatusJsonConverter : JsonConverter<PaymentStatus>
{
    public override PaymentStatus Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && reader.GetString() is { Length: > 0 } s
            ? new PaymentStatus(s)
            : throw new JsonException("A payment status must be a non-empty string.");

    public override void Write(Utf8JsonWriter writer, PaymentStatus value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
}
