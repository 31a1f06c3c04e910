using Kobbopay.EventStore.Internal;

namespace Kobbopay.EventStore.PostgreSql.Internal;

/// <summary>
/// The SQL of the inbox table, beside the events table (its name plus <c>_inbox</c>, same schema). States: 0 pending,
/// 1 completed, 2 parked. Times are <c>timestamptz</c> from the inbox's <see cref="TimeProvider"/>, never the server's.
/// </summary>
internal sealed class PostgreSqlInboxStatements : InboxStatements
{
    /// <summary>The inbox schema version this package creates.</summary>
    public const int SchemaVersion = 1;

    public PostgreSqlInboxStatements(string schema, string eventsTable)
    {
        TableName = eventsTable + "_inbox";
        string s = "\"" + schema + "\"";
        string t = s + ".\"" + TableName + "\"";
        const string Columns = InboxEntryReader.Columns;

        // Under the migration lock (pg_advisory_xact_lock), so instances starting together do not race on CREATE.
        Create =
        [
            $"SELECT pg_advisory_xact_lock({PostgreSqlStatements.MigrationLock})",
            $"CREATE SCHEMA IF NOT EXISTS {s}",
            $"CREATE TABLE IF NOT EXISTS {s}.{PostgreSqlStatements.SchemaVersionTable} (table_name text NOT NULL PRIMARY KEY, version integer NOT NULL, applied_at timestamptz NOT NULL)",
            $"""
            CREATE TABLE IF NOT EXISTS {t} (
                key text NOT NULL PRIMARY KEY,
                body bytea NOT NULL,
                delivery_id text NULL,
                state integer NOT NULL,
                attempts integer NOT NULL,
                received_at timestamptz NOT NULL,
                next_attempt_at timestamptz NOT NULL,
                lease_id uuid NULL,
                lease_expires_at timestamptz NULL,
                completed_at timestamptz NULL,
                last_error text NULL)
            """,
            $"CREATE INDEX IF NOT EXISTS \"{TableName}_due\" ON {t} (next_attempt_at, received_at) WHERE state = 0",
            $"CREATE INDEX IF NOT EXISTS \"{TableName}_completed_at\" ON {t} (completed_at) WHERE state = 1",
            $"INSERT INTO {s}.{PostgreSqlStatements.SchemaVersionTable} (table_name, version, applied_at) VALUES ('{TableName}', {SchemaVersion}, now()) ON CONFLICT (table_name) DO NOTHING",
        ];

        // $1 key, $2 body, $3 delivery id, $4 state, $5 now, $6 park reason.
        Enqueue = $"INSERT INTO {t} (key, body, delivery_id, state, attempts, received_at, next_attempt_at, last_error) VALUES ($1, $2, $3, $4, 0, $5, $5, $6) ON CONFLICT (key) DO NOTHING";

        // $1 lease id, $2 lease expiry, $3 now, $4 count. SKIP LOCKED: rows another instance is claiming right now are
        // passed over, not waited for; each locked row is re-checked against the condition before it is updated.
        Claim = $"""
            UPDATE {t} SET lease_id = $1, lease_expires_at = $2, attempts = attempts + 1
            WHERE key IN (
                SELECT key FROM {t}
                WHERE state = 0 AND next_attempt_at <= $3 AND (lease_expires_at IS NULL OR lease_expires_at <= $3)
                ORDER BY next_attempt_at, received_at LIMIT $4
                FOR UPDATE SKIP LOCKED)
            RETURNING {Columns}
            """;

        // $1 key, $2 lease id, then: Complete $3 now; Fail $3 retry time or null (park), $4 error.
        Complete = $"UPDATE {t} SET state = 1, completed_at = $3, lease_id = NULL, lease_expires_at = NULL WHERE key = $1 AND state = 0 AND lease_id = $2";
        Fail = $"""
            UPDATE {t} SET state = CASE WHEN $3::timestamptz IS NULL THEN 2 ELSE 0 END, next_attempt_at = COALESCE($3::timestamptz, next_attempt_at),
                last_error = $4, lease_id = NULL, lease_expires_at = NULL
            WHERE key = $1 AND state = 0 AND lease_id = $2
            """;
        ListParked = $"SELECT {Columns} FROM {t} WHERE state = 2 ORDER BY received_at, key LIMIT $1";
        Requeue = $"UPDATE {t} SET state = 0, attempts = 0, next_attempt_at = $2, lease_id = NULL, lease_expires_at = NULL WHERE key = $1 AND state = 2";
        Discard = $"DELETE FROM {t} WHERE key = $1 AND state = 2";
        Purge = $"DELETE FROM {t} WHERE state = 1 AND completed_at < $1";
        Probe = $"SELECT count(*) FROM (SELECT 1 FROM {t} LIMIT 1) AS probe";
    }

    public IReadOnlyList<string> Create { get; }
}
