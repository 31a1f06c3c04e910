namespace Kobbopay.Simulator.Scenarios;

/// <summary>How one step of a scenario ended.</summary>
/// <param name="Number">The step's number, from 1.</param>
/// <param name="Step">The step.</param>
/// <param name="Outcome">Passed, failed or skipped.</param>
/// <param name="Message">Why it failed, naming the step and saying what was expected and what was found (<c>step 5 (expectStatus p): expected confirmed, was paid</c>); <see langword="null"/> when it passed.</param>
/// <param name="Duration">How long it took; zero when skipped.</param>
public sealed record ScenarioStepResult(int Number, ScenarioStep Step, ScenarioStepOutcome Outcome, string? Message, TimeSpan Duration)
{
    /// <summary>Gets the step as the output names it: its number, kind and payment (<c>step 5 (expectStatus p)</c>).</summary>
    public string Title => $"step {Number} ({Step})";
}
