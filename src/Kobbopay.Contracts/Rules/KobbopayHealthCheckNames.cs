namespace Kobbopay.Contracts;

/// <summary>
/// The names Kobbopay's health checks are registered and reported under, shared by the packages that register them
/// (Kobbopay.AspNetCore's <c>AddKobbopayHealthChecks</c>, and the client in Kobbopay.Sdk for the gateway check).
/// </summary>
public static class KobbopayHealthCheckNames
{
    /// <summary>Gets the names of every Kobbopay check: the event store, the gateway and the webhooks.</summary>
    public static IReadOnlyList<string> All { get; } = [EventStore, Gateway, Webhooks];

    /// <summary>
    /// The tag every Kobbopay health check carries, for filtering a health endpoint
    /// (<c>MapHealthChecks("/health/kobbopay", new() { Predicate = c => c.Tags.Contains("kobbopay") })</c>): <c>kobbopay</c>.
    /// </summary>
    public const string Tag = "kobbopay";

    /// <summary>
    /// The check that the webhook event store (and inbox) answers: <c>kobbopay-event-store</c>. Unhealthy when it does
    /// not, since every delivery is then answered 503.
    /// </summary>
    public const string EventStore = "kobbopay-event-store";

    /// <summary>
    /// The check that the gateway answers an authenticated call with the configured API key: <c>kobbopay-gateway</c>.
    /// Kobbopay.Sdk registers the check for the default client as a keyed <c>IHealthCheck</c> under this name, which
    /// is how Kobbopay.AspNetCore finds it without referencing the client.
    /// </summary>
    public const string Gateway = "kobbopay-gateway";

    /// <summary>
    /// The check that signature and handler failures of recent deliveries stay under their thresholds:
    /// <c>kobbopay-webhooks</c>. Degraded when they do not.
    /// </summary>
    public const string Webhooks = "kobbopay-webhooks";
}
