namespace Kobbopay.Simulator.Scenarios;

/// <summary>A step about a payment an earlier <see cref="CreatePaymentStep"/> named.</summary>
public abstract class PaymentStep : ScenarioStep
{
    private protected PaymentStep()
    {
    }

    /// <summary>Gets the name of the payment (the <see cref="CreatePaymentStep.As"/> of the step that created it).</summary>
    public required string Payment { get; init; }

    /// <inheritdoc/>
    public override string? Subject => Payment;
}
