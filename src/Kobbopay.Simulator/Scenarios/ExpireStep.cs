namespace Kobbopay.Simulator.Scenarios;

/// <summary>Expires a pending payment now (<c>expire</c>).</summary>
public sealed class ExpireStep : PaymentStep
{
    /// <inheritdoc/>
    public override string Kind => "expire";
}
