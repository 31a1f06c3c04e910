namespace Kobbopay.Simulator.Scenarios.Internal;

/// <summary>An endpoint of a scenario file as JSON has it.</summary>
internal sealed class ScenarioEndpointDto
{
    public string? Url { get; set; }

    public int? Respond { get; set; }
}
