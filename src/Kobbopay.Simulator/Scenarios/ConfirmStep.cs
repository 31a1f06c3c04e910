namespace Kobbopay.Simulator.Scenarios;

/// <summary>Confirms a paid payment (<c>confirm</c>).</summary>
public sealed class ConfirmStep : PaymentStep
{
    /// <inheritdoc/>
    public override string Kind => "confirm";
}
