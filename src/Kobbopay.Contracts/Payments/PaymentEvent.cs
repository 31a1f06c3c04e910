using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kobbopay.Sdk;

/// <summary>A lifecycle event of a payment, as the event export and webhooks carry it.</summary>
public sealed class PaymentEvent
{
    /// <summary>Gets the event id (<c>evt_…</c>): the key to deduplicate on; <see langword="null"/> when a deployment sends none (then deduplicate on payment, type and sequence).</summary>
    public string? Id { get; init; }

    /// <summary>Gets the event type; unknown types are kept as they are.</summary>
    public required PaymentEventType Type { get; init; }

    /// <summary>Gets when the event happened.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets the payment the event is about.</summary>
    public required string PaymentId { get; init; }

    /// <summary>Gets the event's position among its payment's events (rising by one per event), or <see langword="null"/> when the gateway sent none.</summary>
    public long? Sequence { get; init; }

    /// <summary>Gets the status the payment had before this event, or <see langword="null"/>.</summary>
    public PaymentStatus? PreviousStatus { get; init; }

    /// <summary>Gets the event's data: the payment as it was when the event happened.</summary>
    public PaymentEventData? Data { get; init; }

    /// <summary>Gets fields the gateway sent that this SDK version does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }

    /// <summary>Gets the payment as it was when the event happened, or <see langword="null"/>.</summary>
    [JsonIgnore]
    public Payment? Payment => Data?.Payment;

    /// <inheritdoc/>
    public override string ToString() => $"{Type} {Id} for {PaymentId} (sequence {Sequence})";
}

/// <summary>The data of a <see cref="PaymentEvent"/>.</summary>
public sealed class PaymentEventData
{
    /// <summary>Gets the payment as it was when the event happened.</summary>
    public Payment? Payment { get; init; }

    /// <summary>Gets fields the gateway sent that this SDK version does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
