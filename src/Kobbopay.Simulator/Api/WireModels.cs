using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kobbopay.Simulator.Internal;

// The wire shapes of CONTRACT.md. Money and timestamps are strings on purpose.

internal sealed record PaymentDto(
    string Id,
    string Status,
    string Amount,
    string Currency,
    string Network,
    string OrderId,
    IReadOnlyDictionary<string, string>? Metadata,
    string Address,
    string StatusUrl,
    string? AmountReceived,
    int? Confirmations,
    string? TxHash,
    string CreatedAt,
    string UpdatedAt,
    string ExpiresAt,
    string? PaidAt,
    string? ConfirmedAt,
    string? ExpiredAt);

internal sealed record EventDataDto(PaymentDto Payment);

internal sealed record EventDto(
    string Id,
    string Type,
    string CreatedAt,
    string PaymentId,
    int Sequence,
    string? PreviousStatus,
    EventDataDto Data);

internal sealed record PageDto<T>(IReadOnlyList<T> Data, string? NextCursor);

internal sealed record ErrorDto(string Code, string Message, string? Param, string RequestId);

internal sealed record ErrorResponseDto(ErrorDto Error);

/// <summary>The create body, for the OpenAPI document only: the endpoint parses the raw JSON itself to name the failing field.</summary>
internal sealed record CreatePaymentRequestDto(
    string Amount,
    string Currency,
    string Network,
    string OrderId,
    IReadOnlyDictionary<string, string>? Metadata,
    int? ExpiresInSeconds);

internal sealed record PayRequestDto(string? Amount, string? TxHash);

internal sealed record ConfirmRequestDto(int? Confirmations);

internal sealed record AdvanceClockRequestDto(double Seconds);

internal sealed record ClockDto(string Now, string Mode);

internal sealed record RecordedRequestsDto(IReadOnlyList<RecordedRequest> Data);

/// <summary>The body of <c>POST /_sim/webhook-endpoints</c>: only <see cref="Url"/> is required.</summary>
internal sealed class AddWebhookEndpointRequestDto
{
    /// <summary>Gets the endpoint's absolute http or https address (required).</summary>
    public string? Url { get; init; }

    /// <summary>Gets the signing secret; generated when left out.</summary>
    public string? Secret { get; init; }

    /// <summary>Gets the signature scheme: <c>hmac-sha256-hex</c> (default) or <c>standard-webhooks</c>.</summary>
    public string? Scheme { get; init; }

    /// <summary>Gets the name of the hosted environment whose events it receives (<c>test</c> by default); every environment when left out.</summary>
    public string? Environment { get; init; }
}

/// <summary>
/// The body of <c>PUT /_sim/faults</c>: every field optional, a field left out keeps its default. (Deserialized straight
/// into <see cref="SimulatorFaultOptions"/>, whose properties are init-only, a field left out became 0.)
/// </summary>
internal sealed record FaultsRequestDto(
    int? Seed,
    double? InternalErrorRate,
    double? UnavailableRate,
    double? RateLimitRate,
    int? RetryAfterSeconds,
    double? DropConnectionRate,
    double? ResponseLossRate,
    double? LatencyRate,
    int? LatencyMilliseconds)
{
    public SimulatorFaultOptions ToOptions()
    {
        SimulatorFaultOptions defaults = SimulatorFaultOptions.None;
        return new SimulatorFaultOptions
        {
            Seed = Seed ?? defaults.Seed,
            InternalErrorRate = InternalErrorRate ?? defaults.InternalErrorRate,
            UnavailableRate = UnavailableRate ?? defaults.UnavailableRate,
            RateLimitRate = RateLimitRate ?? defaults.RateLimitRate,
            RetryAfterSeconds = RetryAfterSeconds ?? defaults.RetryAfterSeconds,
            DropConnectionRate = DropConnectionRate ?? defaults.DropConnectionRate,
            ResponseLossRate = ResponseLossRate ?? defaults.ResponseLossRate,
            LatencyRate = LatencyRate ?? defaults.LatencyRate,
            LatencyMilliseconds = LatencyMilliseconds ?? defaults.LatencyMilliseconds,
        };
    }
}

/// <summary>The body of <c>PUT /_sim/webhook-faults</c>: every field optional, a field left out keeps its default.</summary>
internal sealed record WebhookFaultsRequestDto(int? Seed, double? DuplicateRate, double? DropFirstAttemptRate, double? ReorderRate, int? ReorderMaxDelayMilliseconds)
{
    public SimulatorWebhookFaultOptions ToOptions()
    {
        SimulatorWebhookFaultOptions defaults = SimulatorWebhookFaultOptions.None;
        return new SimulatorWebhookFaultOptions
        {
            Seed = Seed ?? defaults.Seed,
            DuplicateRate = DuplicateRate ?? defaults.DuplicateRate,
            DropFirstAttemptRate = DropFirstAttemptRate ?? defaults.DropFirstAttemptRate,
            ReorderRate = ReorderRate ?? defaults.ReorderRate,
            ReorderMaxDelayMilliseconds = ReorderMaxDelayMilliseconds ?? defaults.ReorderMaxDelayMilliseconds,
        };
    }
}

internal sealed record WebhookEndpointsDto(IReadOnlyList<SimulatedWebhookEndpoint> Data);

internal sealed record DeliveriesDto(IReadOnlyList<SimulatedDelivery> Data);

[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    NumberHandling = JsonNumberHandling.Strict,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(PaymentDto))]
[JsonSerializable(typeof(EventDto))]
[JsonSerializable(typeof(PageDto<PaymentDto>))]
[JsonSerializable(typeof(PageDto<EventDto>))]
[JsonSerializable(typeof(ErrorResponseDto))]
[JsonSerializable(typeof(CreatePaymentRequestDto))]
[JsonSerializable(typeof(PayRequestDto))]
[JsonSerializable(typeof(ConfirmRequestDto))]
[JsonSerializable(typeof(AdvanceClockRequestDto))]
[JsonSerializable(typeof(ClockDto))]
[JsonSerializable(typeof(SimulatorFaultOptions))]
[JsonSerializable(typeof(RecordedRequestsDto))]
[JsonSerializable(typeof(AddWebhookEndpointRequestDto))]
[JsonSerializable(typeof(SimulatedWebhookEndpoint))]
[JsonSerializable(typeof(WebhookEndpointsDto))]
[JsonSerializable(typeof(SimulatedDelivery))]
[JsonSerializable(typeof(DeliveriesDto))]
[JsonSerializable(typeof(SimulatorWebhookFaultOptions))]
[JsonSerializable(typeof(FaultsRequestDto))]
[JsonSerializable(typeof(WebhookFaultsRequestDto))]
[JsonSerializable(typeof(ResendRequestDto))]
[JsonSerializable(typeof(ResendResultDto))]
internal sealed partial class SimulatorJsonContext : JsonSerializerContext;
