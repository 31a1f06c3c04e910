namespace Kobbopay.Simulator.Scenarios.Internal;

/// <summary>A scenario file as JSON has it, before the parser checks it.</summary>
internal sealed class ScenarioFileDto
{
    public string? Name { get; set; }

    public string? Description { get; set; }

    public Dictionary<string, ScenarioEndpointDto?>? Endpoints { get; set; }

    public List<ScenarioStepDto?>? Steps { get; set; }
}
