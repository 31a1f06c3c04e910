namespace Kobbopay.Simulator.Scenarios.Internal;

/// <summary>A scenario file as JSON has it, before the parser checks it.</summary>
internal sealed record ScenarioFileDto(string? Name, string? Description, Dictionary<string, ScenarioEndpointDto?>? Endpoints, List<ScenarioStepDto?>? Steps);
