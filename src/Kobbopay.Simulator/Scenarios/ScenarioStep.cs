namespace Kobbopay.Simulator.Scenarios;

/// <summary>
/// One step of a <see cref="Scenario"/>: an action on the simulator (create, pay, confirm, expire, advance the clock) or
/// an expectation (a payment's status, a webhook delivery). In a scenario file a step is a JSON object whose
/// <c>step</c> field names its kind.
/// </summary>
public abstract class ScenarioStep
{
    private protected ScenarioStep()
    {
    }

    /// <summary>Gets the step's kind as a scenario file names it, such as <c>create</c> or <c>expectStatus</c>.</summary>
    public abstract string Kind { get; }

    /// <summary>Gets the line of the scenario file the step starts on; 0 for a step built in code.</summary>
    public int Line { get; init; }

    /// <summary>Gets the name of the payment the step is about, or <see langword="null"/> when it is about none.</summary>
    public virtual string? Subject => null;

    /// <summary>Describes the step as messages name it: its kind and, where it has one, its payment (<c>expectStatus p</c>).</summary>
    /// <returns>The description.</returns>
    public override string ToString() => Subject is null ? Kind : $"{Kind} {Subject}";
}
