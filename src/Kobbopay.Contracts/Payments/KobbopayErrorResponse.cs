using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kobbopay.Sdk;

/// <summary>The body of every error answer: <c>{"error":{"code":…,"message":…,"param":…,"requestId":…}}</c>.</summary>
public sealed class KobbopayErrorResponse
{
    /// <summary>Gets the error, or <see langword="null"/> when the body had none.</summary>
    public KobbopayError? Error { get; init; }

    /// <summary>Gets fields the gateway sent that this SDK version does not know.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
