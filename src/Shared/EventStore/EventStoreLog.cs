using Microsoft.Extensions.Logging;

namespace Kobbopay.EventStore.Internal;

/// <summary>
/// The durable event stores' log messages, compiled into each store package: the store's name and event ids come from
/// its own <see cref="EventStoreIdentity"/> (SQLite 400 to 419, PostgreSQL 420 to 439). They name the database (a file,
/// or host, port and database), never a connection string nor a password, and never an event's body.
/// </summary>
internal static partial class EventStoreLog
{
    private const string Store = "Kobbopay " + EventStoreIdentity.Name + " event store {Database}";

    [LoggerMessage(EventId = EventStoreIdentity.FirstEventId, Level = LogLevel.Error, Message = Store + " is unavailable ({Operation} failed: {Reason}); webhook deliveries are refused with 503 and retried by the gateway until it recovers")]
    public static partial void Unavailable(ILogger logger, Exception exception, string database, string operation, string reason);

    [LoggerMessage(EventId = EventStoreIdentity.FirstEventId + 1, Level = LogLevel.Debug, Message = Store + " is still unavailable ({Operation} failed: {Reason})")]
    public static partial void StillUnavailable(ILogger logger, string database, string operation, string reason);

    [LoggerMessage(EventId = EventStoreIdentity.FirstEventId + 2, Level = LogLevel.Information, Message = Store + " is available again")]
    public static partial void Recovered(ILogger logger, string database);

    [LoggerMessage(EventId = EventStoreIdentity.FirstEventId + 3, Level = LogLevel.Information, Message = Store + ": table {Table} migrated from schema version {From} to {To}")]
    public static partial void Migrated(ILogger logger, string database, string table, int from, int to);

    [LoggerMessage(EventId = EventStoreIdentity.FirstEventId + 4, Level = LogLevel.Information, Message = Store + ": purged {Count} records of events completed before {Cutoff:O}")]
    public static partial void Purged(ILogger logger, string database, int count, DateTimeOffset cutoff);

    [LoggerMessage(EventId = EventStoreIdentity.FirstEventId + 5, Level = LogLevel.Warning, Message = Store + ": the periodic purge failed; it runs again in {Interval}")]
    public static partial void PurgeFailed(ILogger logger, Exception exception, string database, TimeSpan interval);
}
