using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kobbopay.Sdk.Internal;

/// <summary>The create body as it travels: money as a string, the window in seconds.</summary>
internal sealed record CreatePaymentWire(
    string Amount,
    string Currency,
    string Network,
    string OrderId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IDictionary<string, string>? Metadata,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? ExpiresInSeconds);

internal sealed record ErrorWire(string? Code, string? Message, string? Param, string? RequestId);

internal sealed record ErrorEnvelopeWire(ErrorWire? Error);

/// <summary>Every JSON shape the client reads or writes; no reflection-based serialization anywhere.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = false)]
[JsonSerializable(typeof(Payment))]
[JsonSerializable(typeof(PaymentEvent))]
[JsonSerializable(typeof(Page<Payment>))]
[JsonSerializable(typeof(Page<PaymentEvent>))]
[JsonSerializable(typeof(CreatePaymentWire))]
[JsonSerializable(typeof(ErrorEnvelopeWire))]
internal sealed partial class KobbopayJsonContext : JsonSerializerContext;
