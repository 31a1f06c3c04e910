namespace Kobbopay.EventStore.PostgreSql.Internal;

/// <summary>
/// The SQL of the store for one table. Begin, complete and abandon are each one statement that finds its row through the
/// primary key; purge walks a partial index of completed rows. Times are parameters from the store's
/// <see cref="TimeProvider"/>, never the server's <c>now()</c>.
/// </summary>
internal sealed class PostgreSqlStatements
{
    /// <summary>The table that records each events table's schema version, one per schema.</summary>
    public const string SchemaVersionTable = "kobbopay_schema_version";

    /// <summary>How many records one purge statement removes, so a purge never holds many row locks or a long transaction.</summary>
    public const int PurgeBatchSize = 5000;

    /// <summary>The advisory lock that serializes migrations across every instance and table ("KOBBOPAY").</summary>
    public const long MigrationLock = 0x4B4F42424F504159;

    public PostgreSqlStatements(string schema, string tableName)
    {
        Schema = schema;
        TableName = tableName;
        string t = Qualified(tableName);

        // One statement, one round trip. The upsert takes the row over only when it is not completed and its lease has
        // lapsed (the conflicting row is locked and re-checked, so two deliveries never both take it) and returns a row
        // exactly then. Otherwise the second branch reads the row the upsert found. That read uses the statement's
        // snapshot, so a row inserted by a transaction that committed after the statement began is not seen: the store
        // then reads again (PostgreSqlWebhookEventTable.BeginAsync).
        // Parameters: $1 key, $2 lease id, $3 lease expiry, $4 now.
        DurableBegin = BeginStatement(t, relaxed: false);

        // The store's begin: the same statement, committed without waiting for the WAL flush (synchronous_commit off for
        // its own transaction only, set_config(..., true)). A begin lost by a server crash only loses the lease: the
        // handler's complete then fails or finds no lease, the endpoint answers 503 or 409, and the sender's retry begins
        // again. A complete (durable) flushes the WAL up to its own commit, so the begin before it is durable with it.
        Begin = BeginStatement(t, relaxed: true);

        // The same begin, also returning the payment's highest handled sequence in a fourth column ($5 payment key), read
        // with the statement's snapshot: the read the stale judgement needs, without a round trip of its own.
        string s = Qualified(SequencesTable(tableName));
        BeginReadingSequence = BeginStatement(t, relaxed: true, sequences: s);

        // $1 payment key, $2 sequence, $3 now. Raised as a maximum: the upsert's WHERE is re-checked on the locked row.
        RaiseSequence = $"""
            INSERT INTO {s} AS s (payment_key, sequence, updated_at) VALUES ($1, $2, $3)
            ON CONFLICT (payment_key) DO UPDATE SET sequence = EXCLUDED.sequence, updated_at = EXCLUDED.updated_at
            WHERE s.sequence < EXCLUDED.sequence
            """;

        // $1 payment key.
        ReadSequence = $"SELECT sequence FROM {s} WHERE payment_key = $1";

        // $1 key.
        Current = $"SELECT lease_expires_at, completed_at FROM {t} WHERE key = $1";

        // $1 key, $2 lease id, $3 now.
        Complete = $"UPDATE {t} SET completed_at = $3 WHERE key = $1 AND lease_id = $2 AND completed_at IS NULL";

        // $1 key, $2 lease id.
        Abandon = $"DELETE FROM {t} WHERE key = $1 AND lease_id = $2 AND completed_at IS NULL";

        // The health probe: reads at most one row, so the table (and the role's right to it) is checked, not only the server.
        Probe = $"SELECT count(*) FROM (SELECT 1 FROM {t} LIMIT 1) AS probe";

        // $1 cutoff. SKIP LOCKED: instances purging at the same time share the work instead of waiting on each other.
        Purge = $"DELETE FROM {t} WHERE key IN (SELECT key FROM {t} WHERE completed_at < $1 LIMIT {PurgeBatchSize} FOR UPDATE SKIP LOCKED)";

        Migrations =
        [
            // Version 1: one row per event key. The key sorts bytewise (COLLATE "C"): exact comparison, cheaper b-tree.
            // fillfactor 90 leaves room on each page so completing an event is a HOT update.
            $"""
            CREATE TABLE IF NOT EXISTS {t} (
                key text COLLATE "C" NOT NULL,
                lease_id uuid NOT NULL,
                lease_expires_at timestamptz NOT NULL,
                completed_at timestamptz NULL,
                created_at timestamptz NOT NULL,
                CONSTRAINT {Quote(tableName + "_pkey")} PRIMARY KEY (key)
            ) WITH (fillfactor = 90);
            CREATE INDEX IF NOT EXISTS {Quote(tableName + "_completed_at")} ON {t} (completed_at) WHERE completed_at IS NOT NULL;
            """,

            // Version 2: the highest sequence handled per payment, a new table beside the events (a version 1 schema gains it).
            $"""
            CREATE TABLE IF NOT EXISTS {Qualified(SequencesTable(tableName))} (
                payment_key text COLLATE "C" NOT NULL,
                sequence bigint NOT NULL,
                updated_at timestamptz NOT NULL,
                CONSTRAINT {Quote(SequencesTable(tableName) + "_pkey")} PRIMARY KEY (payment_key)
            );
            """,
        ];

        CreateSchemaVersionTable =
            $"CREATE TABLE IF NOT EXISTS {Qualified(SchemaVersionTable)} (table_name text NOT NULL PRIMARY KEY, version integer NOT NULL, applied_at timestamptz NOT NULL)";

        // $1 table name.
        ReadSchemaVersion = $"SELECT version FROM {Qualified(SchemaVersionTable)} WHERE table_name = $1";

        // $1 table name, $2 version, $3 now.
        WriteSchemaVersion =
            $"INSERT INTO {Qualified(SchemaVersionTable)} (table_name, version, applied_at) VALUES ($1, $2, $3) ON CONFLICT (table_name) DO UPDATE SET version = EXCLUDED.version, applied_at = EXCLUDED.applied_at";

        CreateSchema = $"CREATE SCHEMA IF NOT EXISTS {Quote(schema)}";
    }

    public string Schema { get; }

    public string TableName { get; }

    /// <summary>Gets the begin the store runs: its commit does not wait for the WAL flush.</summary>
    public string Begin { get; }

    /// <summary>Gets the same begin with the server's own commit setting (durable by default): the benchmark's baseline.</summary>
    public string DurableBegin { get; }

    /// <summary>Gets the store's begin that also returns the payment's highest handled sequence ($5 payment key).</summary>
    public string BeginReadingSequence { get; }

    /// <summary>Gets the raise of a payment's highest handled sequence ($1 payment key, $2 sequence, $3 now).</summary>
    public string RaiseSequence { get; }

    /// <summary>Gets the read of a payment's highest handled sequence ($1 payment key).</summary>
    public string ReadSequence { get; }

    public string Current { get; }

    public string Complete { get; }

    public string Abandon { get; }

    public string Probe { get; }

    public string Purge { get; }

    /// <summary>Gets the migrations: index i takes the schema from version i to version i + 1.</summary>
    public IReadOnlyList<string> Migrations { get; }

    public string CreateSchemaVersionTable { get; }

    public string ReadSchemaVersion { get; }

    public string WriteSchemaVersion { get; }

    public string CreateSchema { get; }

    /// <summary>Gets the SQL that says whether the schema exists ($1 schema name).</summary>
    public static string SchemaExists => "SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname = $1)";

    /// <summary>Gets the SQL that says whether the schema version table exists ($1 schema name).</summary>
    public static string SchemaVersionTableExists => $"SELECT to_regclass(quote_ident($1) || '.{SchemaVersionTable}') IS NOT NULL";

    /// <summary>Gets the name of the table of the highest sequence handled per payment, beside the events table.</summary>
    public static string SequencesTable(string tableName) => tableName + "_sequences";

    public static string TakeMigrationLock => $"SELECT pg_advisory_xact_lock({MigrationLock})";

    private static string BeginStatement(string t, bool relaxed, string? sequences = null) => $"""
        WITH {(relaxed ? "relaxed AS MATERIALIZED (SELECT set_config('synchronous_commit', 'off', true)),\n" : string.Empty)}taken AS (
            INSERT INTO {t} AS e (key, lease_id, lease_expires_at, completed_at, created_at)
            VALUES ($1, $2, $3, NULL, $4)
            ON CONFLICT (key) DO UPDATE SET lease_id = EXCLUDED.lease_id, lease_expires_at = EXCLUDED.lease_expires_at
            WHERE e.completed_at IS NULL AND e.lease_expires_at <= $4
            RETURNING e.lease_id
        )
        SELECT true, NULL::timestamptz, NULL::timestamptz{(sequences is null ? string.Empty : $", (SELECT s.sequence FROM {sequences} AS s WHERE s.payment_key = $5)")} FROM taken{(relaxed ? " CROSS JOIN relaxed" : string.Empty)}
        UNION ALL
        SELECT false, e.lease_expires_at, e.completed_at{(sequences is null ? string.Empty : ", NULL::bigint")} FROM {t} AS e WHERE e.key = $1 AND NOT EXISTS (SELECT FROM taken)
        """;

    // Names are validated (letters, digits, underscores) before they get here; quoting keeps case and keywords.
    private static string Quote(string identifier) => "\"" + identifier + "\"";

    /// <summary>Returns a table name of this store's schema, quoted and qualified.</summary>
    public string Qualify(string name) => Qualified(name);

    private string Qualified(string name) => Quote(Schema) + "." + Quote(name);
}
