using Kobbopay.Webhooks;
using Microsoft.Data.Sqlite;

namespace Kobbopay.EventStore.Sqlite.Internal;

/// <summary>
/// The statements a delivery runs on the events table, on one open connection of the store: begin, complete and abandon
/// (inside the store's <c>BEGIN IMMEDIATE</c> ... <c>COMMIT</c>, several deliveries' to one transaction), and purge in batches. Each is prepared once, on first use, and reused
/// with its parameters for the connection's life (disposed with it), so a call binds values and steps, never parsing SQL
/// again. Times are UTC microseconds since the Unix epoch, from the store's <see cref="TimeProvider"/>, never from the
/// database. One caller at a time: the store's gate serializes every call.
/// </summary>
internal sealed class SqliteEventTable(SqliteConnection connection, SqliteStatements sql, TimeProvider timeProvider) : IDisposable
{
    private SqliteCommand? _beginImmediate;
    private SqliteCommand? _begin;
    private SqliteCommand? _current;
    private SqliteCommand? _commit;
    private SqliteCommand? _complete;
    private SqliteCommand? _abandon;
    private SqliteCommand? _readSequence;
    private SqliteCommand? _raiseSequence;
    private SqliteCommand? _probe;
    private SqliteCommand? _purge;

    public SqliteConnection Connection => connection;

    public static long ToMicroseconds(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public static DateTimeOffset FromMicroseconds(long microseconds) => new(DateTimeOffset.UnixEpoch.UtcTicks + (microseconds * 10), TimeSpan.Zero);

    /// <summary>Starts a write transaction, taking the write lock first (<c>BEGIN IMMEDIATE</c>). A failure before <see cref="Commit"/> leaves it open: the store then disposes the connection, which rolls it back.</summary>
    public void BeginImmediate() => Prepared(ref _beginImmediate, "BEGIN IMMEDIATE").ExecuteNonQuery();

    /// <summary>Commits the write transaction, under the connection's <c>synchronous</c> setting.</summary>
    public void Commit() => Prepared(ref _commit, "COMMIT").ExecuteNonQuery();

    /// <summary>Takes the event's row when it is new, or not completed with a lapsed lease; inside a write transaction, so that what <see cref="Current"/> reads is what the upsert saw.</summary>
    public WebhookBeginResult Begin(string key, TimeSpan lease)
    {
        long now = ToMicroseconds(timeProvider.GetUtcNow());
        long expires = now + (lease.Ticks / 10);
        Guid leaseId = Guid.NewGuid();
        SqliteCommand begin = Prepared(ref _begin, sql.Begin, "$key", "$lease_id", "$lease_expires_at", "$now");
        Bind(begin, key, leaseId, expires, now);
        bool began;
        using (SqliteDataReader reader = begin.ExecuteReader())
        {
            began = reader.Read();
        }

        return began
            ? new WebhookBeginResult(WebhookBeginStatus.Began, leaseId, FromMicroseconds(expires))
            : Current(key);
    }

    public bool Complete(string key, Guid leaseId)
    {
        SqliteCommand complete = Prepared(ref _complete, sql.Complete, "$key", "$lease_id", "$now");
        Bind(complete, key, leaseId, ToMicroseconds(timeProvider.GetUtcNow()));
        return complete.ExecuteNonQuery() == 1;
    }

    public bool Abandon(string key, Guid leaseId)
    {
        SqliteCommand abandon = Prepared(ref _abandon, sql.Abandon, "$key", "$lease_id");
        Bind(abandon, key, leaseId);
        return abandon.ExecuteNonQuery() == 1;
    }

    /// <summary>Reads the highest sequence handled for a payment, or <see langword="null"/>.</summary>
    public long? HandledSequence(string paymentKey)
    {
        SqliteCommand read = Prepared(ref _readSequence, sql.ReadSequence, "$payment_key");
        Bind(read, paymentKey);
        return read.ExecuteScalar() is long highest ? highest : null;
    }

    /// <summary>Raises the highest sequence handled for a payment to <paramref name="sequence"/>; a lower or equal one changes nothing.</summary>
    public bool RaiseSequence(string paymentKey, long sequence)
    {
        SqliteCommand raise = Prepared(ref _raiseSequence, sql.RaiseSequence, "$payment_key", "$sequence", "$now");
        Bind(raise, paymentKey, sequence, ToMicroseconds(timeProvider.GetUtcNow()));
        return raise.ExecuteNonQuery() == 1;
    }

    public long Probe() => (long)Prepared(ref _probe, sql.Probe).ExecuteScalar()!;

    /// <summary>Removes at most <see cref="SqliteStatements.PurgeBatchSize"/> records of events completed before <paramref name="cutoff"/>.</summary>
    public int PurgeBatch(long cutoff)
    {
        SqliteCommand purge = Prepared(ref _purge, sql.Purge, "$cutoff");
        Bind(purge, cutoff);
        return purge.ExecuteNonQuery();
    }

    public void Dispose()
    {
        foreach (SqliteCommand? command in (ReadOnlySpan<SqliteCommand?>)[_beginImmediate, _begin, _current, _commit, _complete, _abandon, _readSequence, _raiseSequence, _probe, _purge])
        {
            command?.Dispose();
        }

        connection.Dispose();
    }

    private static void Bind(SqliteCommand command, params ReadOnlySpan<object> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }
    }

    private WebhookBeginResult Current(string key)
    {
        SqliteCommand current = Prepared(ref _current, sql.Current, "$key");
        Bind(current, key);
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

    private SqliteCommand Prepared(ref SqliteCommand? command, string text, params ReadOnlySpan<string> parameters)
    {
        if (command is null)
        {
            SqliteCommand created = connection.CreateCommand();
            created.CommandText = text;
            foreach (string name in parameters)
            {
                created.Parameters.Add(new SqliteParameter(name, null));
            }

            created.Prepare();
            command = created;
        }

        return command;
    }
}
