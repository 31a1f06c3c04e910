using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kobbopay.Simulator.Scenarios.Internal;

/// <summary>Reads scenario files: strict, so a misspelt field is an error naming it rather than a step that silently does less.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    NumberHandling = JsonNumberHandling.Strict,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(ScenarioFileDto))]
internal sealed partial class ScenarioJsonContext : JsonSerializerContext;
