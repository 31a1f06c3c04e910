using System.Text.Json.Serialization;

namespace Kobbopay.Cli.Reconcile;

/// <summary>The source-generated reader of <see cref="StatusMapFile"/>: camelCase, strict (an unknown or repeated key is an error), comments and trailing commas allowed.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowDuplicateProperties = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(StatusMapFile))]
internal sealed partial class StatusMapJsonContext : JsonSerializerContext;
