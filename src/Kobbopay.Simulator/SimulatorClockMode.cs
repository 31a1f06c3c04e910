namespace Kobbopay.Simulator;

/// <summary>Says how the simulator's clock moves.</summary>
public enum SimulatorClockMode
{
    /// <summary>The clock stands still until <see cref="SimulatorClock.Advance(TimeSpan)"/> moves it. The default in process.</summary>
    Manual,

    /// <summary>The clock follows wall time, plus whatever it has been advanced by. The default for the program.</summary>
    Wall,
}
