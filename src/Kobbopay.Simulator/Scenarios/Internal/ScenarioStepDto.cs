using System.Text.Json;

namespace Kobbopay.Simulator.Scenarios.Internal;

/// <summary>
/// A step of a scenario file as JSON has it: every field of every kind, by its JSON name; the parser checks which apply.
/// <paramref name="Status"/> is a status string for <c>expectStatus</c> and an HTTP status number for <c>expectDelivery</c>.
/// </summary>
internal sealed record ScenarioStepDto(
    string? Step,
    string? As,
    string? Payment,
    string? Amount,
    string? Currency,
    string? Network,
    string? OrderId,
    int? ExpiresInSeconds,
    double? Seconds,
    JsonElement? Status,
    string? AmountReceived,
    string? Event,
    string? Endpoint)
{
    /// <summary>The fields the step has, by their JSON names.</summary>
    public IEnumerable<string> Present()
    {
        (string Name, bool Present)[] fields =
        [
            ("as", As is not null), ("payment", Payment is not null), ("amount", Amount is not null), ("currency", Currency is not null),
            ("network", Network is not null), ("orderId", OrderId is not null), ("expiresInSeconds", ExpiresInSeconds is not null),
            ("seconds", Seconds is not null), ("status", Status is { ValueKind: not JsonValueKind.Null }), ("amountReceived", AmountReceived is not null),
            ("event", Event is not null), ("endpoint", Endpoint is not null),
        ];
        return fields.Where(f => f.Present).Select(f => f.Name);
    }
}
