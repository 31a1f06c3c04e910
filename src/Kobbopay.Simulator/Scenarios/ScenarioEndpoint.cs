namespace Kobbopay.Simulator.Scenarios;

/// <summary>
/// A webhook endpoint a scenario declares, registered at the simulator for the scenario's run: either an address of
/// your own (<see cref="Url"/>) or a receiver the runner starts on loopback that answers every delivery with
/// <see cref="Respond"/>, so a scenario needs nothing else running. Exactly one of the two is set.
/// </summary>
public sealed class ScenarioEndpoint
{
    /// <summary>Gets the absolute http or https address to register; <see langword="null"/> for a built-in receiver.</summary>
    public Uri? Url { get; init; }

    /// <summary>Gets the HTTP status the built-in receiver answers with; <see langword="null"/> when <see cref="Url"/> is set.</summary>
    public int? Respond { get; init; }
}
