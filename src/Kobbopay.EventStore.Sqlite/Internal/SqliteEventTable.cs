using Kobbopay.Webhooks;
using Microsoft.Data.Sqlite;

namespace Kobbopay.EventStore.Sqlite.Internal;

/// <summary>
/// The statements a delivery runs on the events table, on the store's one connection: begin (inside
/// <c>BEGIN IMMEDIATE</c>), complete and abandon, and purge in batches. Times are UTC microseconds since the Unix epoch,
/// from the store's <see cref="TimeProvider"/>, never from the database.
/// </summary>
internal sealed class SqliteEventTable(SqliteStatements sql, TimeProvider timeProvider)
{
    public static long ToMicroseconds(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public static DateTimeOffset FromMicroseconds(long microseconds) => new(DateTimeOffset.UnixEpoch.UtcTicks + (microseconds * 10), TimeSpan.Zero);

    public WebhookBeginResult Begin(SqliteConnection connection, string key, TimeSpan lease)
    {
        long now = ToMicroseconds(timeProvider.GetUtcNow());
        long expires = now + (lease.Ticks / 10);
        Guid leaseId = Guid.NewGuid();
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: take the write lock first
        using SqliteCommand begin = connection.CreateCommand();
        begin.Transaction = transaction;
        begin.CommandText = sql.Begin;
        begin.Parameters.AddWithValue("$key", key);
        begin.Parameters.AddWithValue("$lease_id", leaseId);
        begin.Parameters.AddWithValue("$lease_expires_at", expires);
        begin.Parameters.AddWithValue("$now", now);
        bool began;
        using (SqliteDataReader reader = begin.ExecuteReader())
        {
            began = reader.Read();
        }

        WebhookBeginResult result = began
            ? new WebhookBeginResult(WebhookBeginStatus.Began, leaseId, FromMicroseconds(expires))
            : Current(connection, transaction, key);
        transaction.Commit();
        return result;
    }

    public bool Complete(SqliteConnection connection, string key, Guid leaseId)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql.Complete;
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$lease_id", leaseId);
        command.Parameters.AddWithValue("$now", ToMicroseconds(timeProvider.GetUtcNow()));
        return command.ExecuteNonQuery() == 1;
    }

    public bool Abandon(SqliteConnection connection, string key, Guid leaseId)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql.Abandon;
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$lease_id", leaseId);
        return command.ExecuteNonQuery() == 1;
    }

    public long Probe(SqliteConnection connection)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql.Probe;
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Removes at most <see cref="SqliteStatements.PurgeBatchSize"/> records of events completed before <paramref name="cutoff"/>.</summary>
    public int PurgeBatch(SqliteConnection connection, long cutoff)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql.Purge;
        command.Parameters.AddWithValue("$cutoff", cutoff);
        return command.ExecuteNonQuery();
    }

    private WebhookBeginResult Current(SqliteConnection connection, SqliteTransaction transaction, string key)
    {
        using SqliteCommand current = connection.CreateCommand();
        current.Transaction = transaction;
        current.CommandText = sql.Current;
        current.Parameters.AddWithValue("$key", key);
        using SqliteDataReader reader = current.ExecuteReader();
        if (!reader.Read())
        {
            // Cannot happen under the write lock: the upsert found the row and nobody else could remove it.
            throw new InvalidOperationException($"The row of an event vanished within one transaction of table {sql.TableName}.");
        }

        return reader.IsDBNull(1)
            ? new WebhookBeginResult(WebhookBeginStatus.InProgress, Guid.Empty, FromMicroseconds(reader.GetInt64(0)))
            : new WebhookBeginResult(WebhookBeginStatus.Duplicate, Guid.Empty, null);
    }
}
