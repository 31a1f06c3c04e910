using System.Text.Json.Serialization;

namespace Kobbopay.Reconciliation;

/// <summary>The source-generated (AOT-safe) serializer of reports: camelCase, nulls kept, so every field is always there.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ReconciliationDiscrepancy))]
[JsonSerializable(typeof(ReconciliationSummary))]
internal sealed partial class ReconciliationJsonContext : JsonSerializerContext;
