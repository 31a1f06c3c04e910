using Microsoft.Extensions.Logging;

namespace Kobbopay.EventStore.Sqlite.Internal;

/// <summary>
/// The SQLite event store's log messages (event ids 400 to 419). They name the database file, never a password, and
/// never an event's body.
/// </summary>
internal static partial class SqliteEventStoreLog
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Error, Message = "Kobbopay SQLite event store {DataSource} is unavailable ({Operation} failed: {Reason}); webhook deliveries are refused with 503 and retried by the gateway until it recovers")]
    public static partial void Unavailable(ILogger logger, Exception exception, string dataSource, string operation, string reason);

    [LoggerMessage(EventId = 401, Level = LogLevel.Debug, Message = "Kobbopay SQLite event store {DataSource} is still unavailable ({Operation} failed: {Reason})")]
    public static partial void StillUnavailable(ILogger logger, string dataSource, string operation, string reason);

    [LoggerMessage(EventId = 402, Level = LogLevel.Information, Message = "Kobbopay SQLite event store {DataSource} is available again")]
    public static partial void Recovered(ILogger logger, string dataSource);

    [LoggerMessage(EventId = 403, Level = LogLevel.Information, Message = "Kobbopay SQLite event store {DataSource}: table {Table} migrated from schema version {From} to {To}")]
    public static partial void Migrated(ILogger logger, string dataSource, string table, int from, int to);

    [LoggerMessage(EventId = 404, Level = LogLevel.Information, Message = "Kobbopay SQLite event store {DataSource}: purged {Count} records of events completed before {Cutoff:O}")]
    public static partial void Purged(ILogger logger, string dataSource, int count, DateTimeOffset cutoff);

    [LoggerMessage(EventId = 405, Level = LogLevel.Warning, Message = "Kobbopay SQLite event store {DataSource}: the periodic purge failed; it runs again in {Interval}")]
    public static partial void PurgeFailed(ILogger logger, Exception exception, string dataSource, TimeSpan interval);
}
