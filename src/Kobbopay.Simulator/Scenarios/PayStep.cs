namespace Kobbopay.Simulator.Scenarios;

/// <summary>
/// Makes funds arrive for a payment (<c>pay</c>): whatever is still owed when <see cref="Amount"/> is left out (pay in
/// full), or the amount given (less for a partial payment, more for an overpayment).
/// </summary>
public sealed class PayStep : PaymentStep
{
    /// <inheritdoc/>
    public override string Kind => "pay";

    /// <summary>Gets the amount arriving; <see langword="null"/> for whatever is still owed.</summary>
    public decimal? Amount { get; init; }
}
