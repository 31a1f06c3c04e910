using Kobbopay.EventStore.Internal;

namespace Kobbopay.EventStore.Sqlite.Internal;

/// <summary>
/// The SQL of the inbox table, which lives beside the events table (its name plus <c>_inbox</c>). States: 0 pending,
/// 1 completed, 2 parked. Times are UTC microseconds since the Unix epoch, from the inbox's <see cref="TimeProvider"/>.
/// </summary>
internal sealed class SqliteInboxStatements : InboxStatements
{
    /// <summary>The inbox schema version this package creates.</summary>
    public const int SchemaVersion = 1;

    private const string Columns = InboxEntryReader.Columns;

    public SqliteInboxStatements(string eventsTable)
    {
        TableName = eventsTable + "_inbox";
        string t = "\"" + TableName + "\"";
        Create = $"""
            CREATE TABLE IF NOT EXISTS {t} (
                key TEXT NOT NULL PRIMARY KEY,
                body BLOB NOT NULL,
                delivery_id TEXT NULL,
                state INTEGER NOT NULL,
                attempts INTEGER NOT NULL,
                received_at INTEGER NOT NULL,
                next_attempt_at INTEGER NOT NULL,
                lease_id BLOB NULL,
                lease_expires_at INTEGER NULL,
                completed_at INTEGER NULL,
                last_error TEXT NULL
            ) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS "{TableName}_due" ON {t} (state, next_attempt_at);
            CREATE INDEX IF NOT EXISTS "{TableName}_completed_at" ON {t} (completed_at);
            """;
        Enqueue = $"""
            INSERT INTO {t} (key, body, delivery_id, state, attempts, received_at, next_attempt_at, last_error)
            VALUES ($key, $body, $delivery_id, $state, 0, $now, $now, $error)
            ON CONFLICT (key) DO NOTHING
            """;

        // One statement: the rows it picks are leased before any other connection can write, so each goes to one claimer.
        Claim = $"""
            UPDATE {t} SET lease_id = $lease_id, lease_expires_at = $expires, attempts = attempts + 1
            WHERE key IN (
                SELECT key FROM {t}
                WHERE state = 0 AND next_attempt_at <= $now AND (lease_expires_at IS NULL OR lease_expires_at <= $now)
                ORDER BY next_attempt_at, received_at LIMIT $max)
            RETURNING {Columns}
            """;
        Complete = $"UPDATE {t} SET state = 1, completed_at = $now, lease_id = NULL, lease_expires_at = NULL WHERE key = $key AND state = 0 AND lease_id = $lease_id";
        Fail = $"""
            UPDATE {t} SET state = CASE WHEN $retry_at IS NULL THEN 2 ELSE 0 END, next_attempt_at = COALESCE($retry_at, next_attempt_at),
                last_error = $error, lease_id = NULL, lease_expires_at = NULL
            WHERE key = $key AND state = 0 AND lease_id = $lease_id
            """;
        ListParked = $"SELECT {Columns} FROM {t} WHERE state = 2 ORDER BY received_at, key LIMIT $max";
        Requeue = $"UPDATE {t} SET state = 0, attempts = 0, next_attempt_at = $now, lease_id = NULL, lease_expires_at = NULL WHERE key = $key AND state = 2";
        Discard = $"DELETE FROM {t} WHERE key = $key AND state = 2";
        Purge = $"DELETE FROM {t} WHERE state = 1 AND completed_at < $cutoff";
        Probe = $"SELECT count(*) FROM (SELECT 1 FROM {t} LIMIT 1)";
    }

    public string Create { get; }
}
