namespace Kobbopay.Simulator.Internal.Configuration;

/// <summary>The API faults from configuration (<c>Kobbopay:Simulator:Faults</c>); the names are <see cref="SimulatorFaultOptions"/>'s.</summary>
internal sealed class SimulatorFaultSettings
{
    /// <summary>Gets or sets the seed of the API's and the deliveries' fault generators (<c>--seed</c>).</summary>
    public int? Seed { get; set; }

    /// <summary>Gets or sets <see cref="SimulatorFaultOptions.InternalErrorRate"/>.</summary>
    public double? InternalErrorRate { get; set; }

    /// <summary>Gets or sets <see cref="SimulatorFaultOptions.UnavailableRate"/>.</summary>
    public double? UnavailableRate { get; set; }

    /// <summary>Gets or sets <see cref="SimulatorFaultOptions.RateLimitRate"/>.</summary>
    public double? RateLimitRate { get; set; }

    /// <summary>Gets or sets <see cref="SimulatorFaultOptions.RetryAfterSeconds"/>.</summary>
    public int? RetryAfterSeconds { get; set; }

    /// <summary>Gets or sets <see cref="SimulatorFaultOptions.DropConnectionRate"/>.</summary>
    public double? DropConnectionRate { get; set; }

    /// <summary>Gets or sets <see cref="SimulatorFaultOptions.ResponseLossRate"/>.</summary>
    public double? ResponseLossRate { get; set; }

    /// <summary>Gets or sets <see cref="SimulatorFaultOptions.LatencyRate"/>.</summary>
    public double? LatencyRate { get; set; }

    /// <summary>Gets or sets <see cref="SimulatorFaultOptions.LatencyMilliseconds"/>.</summary>
    public int? LatencyMilliseconds { get; set; }
}
