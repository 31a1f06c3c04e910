using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kobbopay.Simulator.Internal;

// The dashboard's data shapes (GET /_sim/payments, GET /_sim/payments/{id}, GET /_sim/ui/version).

/// <summary>A payment with the environment it belongs to.</summary>
internal sealed record DashboardPaymentDto(string Environment, PaymentDto Payment);

/// <summary>The answer of <c>GET /_sim/payments</c>: newest first.</summary>
internal sealed record DashboardPaymentsDto(IReadOnlyList<DashboardPaymentDto> Data);

/// <summary>The answer of <c>GET /_sim/payments/{id}</c>: the payment, its events (oldest first) and its webhook deliveries (oldest first).</summary>
internal sealed record DashboardPaymentDetailDto(string Environment, PaymentDto Payment, IReadOnlyList<EventDto> Events, IReadOnlyList<SimulatedDelivery> Deliveries);

/// <summary>The answer of <c>GET /_sim/ui/version</c>: a value that changes whenever what the dashboard shows changes, and the clock.</summary>
internal sealed record DashboardVersionDto(string Version, ClockDto Clock);

[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(DashboardPaymentsDto))]
[JsonSerializable(typeof(DashboardPaymentDetailDto))]
[JsonSerializable(typeof(DashboardVersionDto))]
internal sealed partial class DashboardJsonContext : JsonSerializerContext;
