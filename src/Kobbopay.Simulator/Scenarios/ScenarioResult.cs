namespace Kobbopay.Simulator.Scenarios;

/// <summary>How a scenario's run ended: a result per step.</summary>
public sealed class ScenarioResult
{
    /// <summary>Gets the scenario that ran.</summary>
    public required Scenario Scenario { get; init; }

    /// <summary>Gets a result for each step, in order.</summary>
    public required IReadOnlyList<ScenarioStepResult> Steps { get; init; }

    /// <summary>Gets why the scenario could not start (a receiver or an endpoint could not be set up), or <see langword="null"/> when it started; every step is then skipped.</summary>
    public string? Error { get; init; }

    /// <summary>Gets how long the run took, setting up and tearing down included.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Gets whether the scenario started and every step passed.</summary>
    public bool Passed => Error is null && Steps.All(s => s.Outcome == ScenarioStepOutcome.Passed);
}
