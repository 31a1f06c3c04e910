namespace Kobbopay.Simulator.Internal;

/// <summary>The answer of <c>POST /_sim/events/{eventId}/resend</c>: the new deliveries, in the shape <c>GET /_sim/deliveries</c> lists them.</summary>
internal sealed record ResendResultDto(IReadOnlyList<SimulatedDelivery> Deliveries);
