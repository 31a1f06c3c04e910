using System.Text.Json.Serialization;

namespace Kobbopay.Sdk;

/// <summary>What to create a payment for. It travels as the contract's create body: money as a string, the window in whole seconds.</summary>
public sealed class CreatePaymentRequest
{
    /// <summary>Gets or sets the amount, greater than zero, with no more decimals than the asset has.</summary>
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)]
    public required decimal Amount { get; set; }

    /// <summary>Gets or sets the currency, for example <c>USDT</c>.</summary>
    public required string Currency { get; set; }

    /// <summary>Gets or sets the network, for example <c>ethereum</c>.</summary>
    public required string Network { get; set; }

    /// <summary>Gets or sets the merchant's order id (1 to 128 characters).</summary>
    public required string OrderId { get; set; }

    /// <summary>Gets or sets string metadata kept with the payment.</summary>
    /// <value>Defaults to <see langword="null"/>.</value>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IDictionary<string, string>? Metadata { get; set; }

    /// <summary>Gets or sets the payment window.</summary>
    /// <value>Defaults to <see langword="null"/>: the gateway's default. Whole seconds, 60 s to 7 days.</value>
    [JsonIgnore]
    public TimeSpan? ExpiresIn { get; set; }

    /// <summary>Gets or sets the window as the wire carries it (<c>expiresInSeconds</c>).</summary>
    [JsonInclude]
    [JsonPropertyName("expiresInSeconds")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    internal long? ExpiresInSeconds
    {
        get => ExpiresIn is { } window ? (long)window.TotalSeconds : null;
        set => ExpiresIn = value is { } seconds ? TimeSpan.FromSeconds(seconds) : null;
    }
}
