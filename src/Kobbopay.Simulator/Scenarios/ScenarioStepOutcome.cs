namespace Kobbopay.Simulator.Scenarios;

/// <summary>How a step of a scenario ended.</summary>
public enum ScenarioStepOutcome
{
    /// <summary>The action was done, or the expectation held.</summary>
    Passed,

    /// <summary>The action was refused, or the expectation did not hold.</summary>
    Failed,

    /// <summary>Not run: an earlier step failed, or the scenario could not start.</summary>
    Skipped,
}
