namespace Kobbopay.Simulator.Scenarios.Internal;

/// <summary>An endpoint of a scenario file as JSON has it: an address to register, or the status a built-in receiver answers.</summary>
internal sealed record ScenarioEndpointDto(string? Url, int? Respond);
