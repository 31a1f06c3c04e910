using Microsoft.Extensions.Logging;

namespace Kobbopay.EventStore.PostgreSql.Internal;

/// <summary>
/// The PostgreSQL event store's log messages (event ids 420 to 439). They name the host, port and database, never the connection string nor a password, and
/// never an event's body.
/// </summary>
internal static partial class PostgreSqlEventStoreLog
{
    [LoggerMessage(EventId = 420, Level = LogLevel.Error, Message = "Kobbopay PostgreSQL event store {Server} is unavailable ({Operation} failed: {Reason}); webhook deliveries are refused with 503 and retried by the gateway until it recovers")]
    public static partial void Unavailable(ILogger logger, Exception exception, string server, string operation, string reason);

    [LoggerMessage(EventId = 421, Level = LogLevel.Debug, Message = "Kobbopay PostgreSQL event store {Server} is still unavailable ({Operation} failed: {Reason})")]
    public static partial void StillUnavailable(ILogger logger, string server, string operation, string reason);

    [LoggerMessage(EventId = 422, Level = LogLevel.Information, Message = "Kobbopay PostgreSQL event store {Server} is available again")]
    public static partial void Recovered(ILogger logger, string server);

    [LoggerMessage(EventId = 423, Level = LogLevel.Information, Message = "Kobbopay PostgreSQL event store {Server}: table {Table} migrated from schema version {From} to {To}")]
    public static partial void Migrated(ILogger logger, string server, string table, int from, int to);

    [LoggerMessage(EventId = 424, Level = LogLevel.Information, Message = "Kobbopay PostgreSQL event store {Server}: purged {Count} records of events completed before {Cutoff:O}")]
    public static partial void Purged(ILogger logger, string server, int count, DateTimeOffset cutoff);

    [LoggerMessage(EventId = 425, Level = LogLevel.Warning, Message = "Kobbopay PostgreSQL event store {Server}: the periodic purge failed; it runs again in {Interval}")]
    public static partial void PurgeFailed(ILogger logger, Exception exception, string server, TimeSpan interval);
}
