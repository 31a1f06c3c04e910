namespace Kobbopay.Simulator.Internal.Configuration;

/// <summary>The simulated chain from configuration (<c>Kobbopay:Simulator:Chain</c>).</summary>
internal sealed class SimulatorChainSettings
{
    /// <summary>Gets or sets the seconds after creation when the payer pays in full (<c>--auto-pay-after</c>).</summary>
    public int? AutoPayAfterSeconds { get; set; }

    /// <summary>Gets or sets whether paid payments confirm by themselves (<c>--auto-confirm</c>).</summary>
    public bool? AutoConfirm { get; set; }

    /// <summary>Gets or sets the seconds between blocks (<c>--block-interval</c>).</summary>
    public int? BlockIntervalSeconds { get; set; }
}
