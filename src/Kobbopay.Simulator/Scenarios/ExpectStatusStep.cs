namespace Kobbopay.Simulator.Scenarios;

/// <summary>Expects a payment's status, and optionally the amount received so far (<c>expectStatus</c>).</summary>
public sealed class ExpectStatusStep : PaymentStep
{
    /// <inheritdoc/>
    public override string Kind => "expectStatus";

    /// <summary>Gets the status expected, such as <c>confirmed</c>.</summary>
    public required string Status { get; init; }

    /// <summary>Gets the amount received expected; <see langword="null"/> not to check it.</summary>
    public decimal? AmountReceived { get; init; }
}
