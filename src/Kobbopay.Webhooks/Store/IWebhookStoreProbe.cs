namespace Kobbopay.Webhooks;

/// <summary>
/// Checks that a durable store's database answers, for health checks. The SQLite and PostgreSQL event stores and their
/// inboxes implement it (the health check finds the event store, and the inbox when queued processing is on); the
/// in-memory ones have nothing to reach.
/// </summary>
public interface IWebhookStoreProbe
{
    /// <summary>Gets the database the probe reaches, as logs name it: a file, or host, port and database; never a password.</summary>
    string Database { get; }

    /// <summary>Runs one cheap statement against the store's database, creating or checking its schema first as the store's other operations do.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the database answered.</returns>
    /// <exception cref="Exception">The database cannot be reached or the statement failed (the driver's exception).</exception>
    ValueTask ProbeAsync(CancellationToken cancellationToken = default);
}
