namespace Kobbopay.Simulator.Internal;

/// <summary>
/// The body of <c>POST /_sim/events/{eventId}/resend</c>, every field optional: at most one of <see cref="Url"/> and
/// <see cref="EndpointId"/>; <see cref="Secret"/> and <see cref="Scheme"/> only with <see cref="Url"/>.
/// </summary>
internal sealed record ResendRequestDto(string? Url, string? EndpointId, string? Secret, string? Scheme);
