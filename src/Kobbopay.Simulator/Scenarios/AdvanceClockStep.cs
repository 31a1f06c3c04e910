namespace Kobbopay.Simulator.Scenarios;

/// <summary>Moves the simulator's manual clock forward and runs what falls due, expiries included (<c>advanceClock</c>).</summary>
public sealed class AdvanceClockStep : ScenarioStep
{
    /// <inheritdoc/>
    public override string Kind => "advanceClock";

    /// <summary>Gets how many seconds to move the clock.</summary>
    public required double Seconds { get; init; }
}
