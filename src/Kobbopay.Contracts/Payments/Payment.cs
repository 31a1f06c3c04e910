using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kobbopay.Sdk;

/// <summary>A payment, as the gateway reports it. Read its <see cref="Status"/> from the API for authority; webhooks are signals.</summary>
public sealed class Payment
{
    /// <summary>Gets the payment id (<c>pay_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Gets the lifecycle status.</summary>
    public required PaymentStatus Status { get; init; }

    /// <summary>Gets the amount asked for, in <see cref="Currency"/>.</summary>
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public required decimal Amount { get; init; }

    /// <summary>Gets the currency, for example <c>USDT</c>.</summary>
    public required string Currency { get; init; }

    /// <summary>Gets the network, for example <c>ethereum</c>.</summary>
    public required string Network { get; init; }

    /// <summary>Gets the merchant's order id.</summary>
    public required string OrderId { get; init; }

    /// <summary>Gets the merchant's metadata, or <see langword="null"/> when none was given.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>Gets the address the payer sends funds to.</summary>
    public string? Address { get; init; }

    /// <summary>Gets the payer's public status page: tokenized, it carries no merchant secret.</summary>
    public Uri? StatusUrl { get; init; }

    /// <summary>Gets what has arrived on chain, or <see langword="null"/> before anything has. Above <see cref="Amount"/> on an overpayment.</summary>
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public decimal? AmountReceived { get; init; }

    /// <summary>Gets the confirmations counted, or <see langword="null"/> before the payment is paid.</summary>
    public int? Confirmations { get; init; }

    /// <summary>Gets the transaction hash, or <see langword="null"/> before funds arrive.</summary>
    public string? TxHash { get; init; }

    /// <summary>Gets when the payment was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when the payment last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Gets when the payment window ends.</summary>
    public DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Gets when the payment became paid, or <see langword="null"/>.</summary>
    public DateTimeOffset? PaidAt { get; init; }

    /// <summary>Gets when the payment became confirmed, or <see langword="null"/>.</summary>
    public DateTimeOffset? ConfirmedAt { get; init; }

    /// <summary>Gets when the payment expired, or <see langword="null"/>.</summary>
    public DateTimeOffset? ExpiredAt { get; init; }

    /// <summary>Gets fields the gateway sent that this SDK version does not know; kept so nothing is lost.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }

    /// <inheritdoc/>
    public override string ToString() => $"Payment {Id} {Status} {Amount} {Currency} on {Network} (order {OrderId})";
}
