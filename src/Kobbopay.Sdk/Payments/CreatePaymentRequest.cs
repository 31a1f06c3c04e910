namespace Kobbopay.Sdk;

/// <summary>What to create a payment for.</summary>
public sealed class CreatePaymentRequest
{
    /// <summary>Gets or sets the amount, greater than zero, with no more decimals than the asset has.</summary>
    public required decimal Amount { get; set; }

    /// <summary>Gets or sets the currency, for example <c>USDT</c>.</summary>
    public required string Currency { get; set; }

    /// <summary>Gets or sets the network, for example <c>ethereum</c>.</summary>
    public required string Network { get; set; }

    /// <summary>Gets or sets the merchant's order id (1 to 128 characters).</summary>
    public required string OrderId { get; set; }

    /// <summary>Gets or sets string metadata kept with the payment.</summary>
    /// <value>Defaults to <see langword="null"/>.</value>
    public IDictionary<string, string>? Metadata { get; set; }

    /// <summary>Gets or sets the payment window.</summary>
    /// <value>Defaults to <see langword="null"/>: the gateway's default. Whole seconds, 60 s to 7 days.</value>
    public TimeSpan? ExpiresIn { get; set; }
}
