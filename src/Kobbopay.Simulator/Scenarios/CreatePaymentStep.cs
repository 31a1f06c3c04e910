namespace Kobbopay.Simulator.Scenarios;

/// <summary>Creates a payment through the API (<c>POST /v1/payments</c>) and names it for the later steps (<c>create</c>).</summary>
public sealed class CreatePaymentStep : ScenarioStep
{
    /// <inheritdoc/>
    public override string Kind => "create";

    /// <summary>Gets the name later steps call the payment by.</summary>
    public required string As { get; init; }

    /// <summary>Gets the amount to pay; a decimal string in the file, such as <c>"10.00"</c>.</summary>
    public required decimal Amount { get; init; }

    /// <summary>Gets the currency, such as <c>USDT</c>.</summary>
    public required string Currency { get; init; }

    /// <summary>Gets the network, such as <c>example-network</c>.</summary>
    public required string Network { get; init; }

    /// <summary>Gets the merchant's order id.</summary>
    public required string OrderId { get; init; }

    /// <summary>Gets how long the payment stays payable, in seconds; <see langword="null"/> for the simulator's default.</summary>
    public int? ExpiresInSeconds { get; init; }

    /// <inheritdoc/>
    public override string? Subject => As;
}
