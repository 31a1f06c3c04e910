using System.Text.Json;

namespace Kobbopay.Simulator.Scenarios.Internal;

/// <summary>A step of a scenario file as JSON has it: every field of every kind; the parser checks which apply.</summary>
internal sealed class ScenarioStepDto
{
    public string? Step { get; set; }

    public string? As { get; set; }

    public string? Payment { get; set; }

    public string? Amount { get; set; }

    public string? Currency { get; set; }

    public string? Network { get; set; }

    public string? OrderId { get; set; }

    public int? ExpiresInSeconds { get; set; }

    public double? Seconds { get; set; }

    /// <summary>A status string for <c>expectStatus</c>, an HTTP status number for <c>expectDelivery</c>.</summary>
    public JsonElement? Status { get; set; }

    public string? AmountReceived { get; set; }

    public string? Event { get; set; }

    public string? Endpoint { get; set; }

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
