namespace Kobbopay.Simulator.Scenarios;

/// <summary>Makes part of a payment's amount arrive (<c>payPart</c>): a <see cref="PayStep"/> whose amount is required, so the file says what it means.</summary>
public sealed class PayPartStep : PaymentStep
{
    /// <inheritdoc/>
    public override string Kind => "payPart";

    /// <summary>Gets the amount arriving.</summary>
    public required decimal Amount { get; init; }
}
