namespace Kobbopay.Simulator.Internal.Delivery;

/// <summary>
/// A webhook endpoint, as <see cref="WebhookDispatcher"/> keeps it; changed only under its lock. A registered one has an
/// id; a one-off address a resend goes to (<see cref="WebhookDispatcher.Resend"/>) has none and is in no list.
/// </summary>
internal sealed class EndpointState(string? id, Uri url, string secret, string scheme, string? environment)
{
    /// <summary>The endpoint's id (<c>we_…</c>); <see langword="null"/> for a one-off address.</summary>
    public string? Id { get; } = id;

    /// <summary>Where deliveries are POSTed.</summary>
    public Uri Url { get; } = url;

    /// <summary>The signing secret.</summary>
    public string Secret { get; } = secret;

    /// <summary>The signature scheme's name.</summary>
    public string Scheme { get; } = scheme;

    /// <summary>The only environment whose events it takes; <see langword="null"/> for every environment.</summary>
    public string? Environment { get; } = environment;

    /// <summary>Whether it gets events and redeliveries; a 410 Gone turns it off.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Why it was disabled; <see langword="null"/> while enabled.</summary>
    public string? DisabledReason { get; set; }

    /// <summary>A copy for the control API.</summary>
    public SimulatedWebhookEndpoint Snapshot() => new(Id!, Url, Secret, Scheme, Environment, Enabled, DisabledReason);
}
