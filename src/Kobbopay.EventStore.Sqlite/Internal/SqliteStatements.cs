namespace Kobbopay.EventStore.Sqlite.Internal;

/// <summary>
/// The SQL of the store for one table. Every statement that runs per delivery finds its row through the primary key
/// (the key), so begin, complete and abandon cost one index search whatever the table's size; purge walks the
/// <c>completed_at</c> index. Times are UTC microseconds since the Unix epoch, from the store's <see cref="TimeProvider"/>.
/// </summary>
internal sealed class SqliteStatements
{
    /// <summary>The table that records each events table's schema version.</summary>
    public const string SchemaVersionTable = "kobbopay_schema_version";

    /// <summary>How many records one purge statement removes, so a purge never holds the write lock for long.</summary>
    public const int PurgeBatchSize = 1000;

    public SqliteStatements(string tableName)
    {
        TableName = tableName;
        string t = Quote(tableName);

        // The upsert takes the row over only when it is not completed and its lease has lapsed; RETURNING yields a row
        // exactly when the caller began. It runs inside BEGIN IMMEDIATE together with Current, so what Current reads is
        // what the upsert saw.
        Begin = $"""
            INSERT INTO {t} (key, lease_id, lease_expires_at, completed_at, created_at)
            VALUES ($key, $lease_id, $lease_expires_at, NULL, $now)
            ON CONFLICT (key) DO UPDATE SET lease_id = excluded.lease_id, lease_expires_at = excluded.lease_expires_at
            WHERE {t}.completed_at IS NULL AND {t}.lease_expires_at <= $now
            RETURNING lease_id
            """;
        Current = $"SELECT lease_expires_at, completed_at FROM {t} WHERE key = $key";
        Complete = $"UPDATE {t} SET completed_at = $now WHERE key = $key AND lease_id = $lease_id AND completed_at IS NULL";
        Abandon = $"DELETE FROM {t} WHERE key = $key AND lease_id = $lease_id AND completed_at IS NULL";

        // The highest sequence handled per payment, in a table of its own: raised as a maximum (the upsert's WHERE leaves
        // a higher or equal sequence as it is), never lowered by a late writer.
        string q = Quote(SequencesTable(tableName));
        ReadSequence = $"SELECT sequence FROM {q} WHERE payment_key = $payment_key";
        RaiseSequence = $"""
            INSERT INTO {q} (payment_key, sequence, updated_at) VALUES ($payment_key, $sequence, $now)
            ON CONFLICT (payment_key) DO UPDATE SET sequence = excluded.sequence, updated_at = excluded.updated_at
            WHERE excluded.sequence > {q}.sequence
            """;

        // The health probe: reads at most one row, touching the file without changing it.
        Probe = $"SELECT count(*) FROM (SELECT 1 FROM {t} LIMIT 1)";

        Purge = $"DELETE FROM {t} WHERE key IN (SELECT key FROM {t} WHERE completed_at < $cutoff LIMIT {PurgeBatchSize})";

        Migrations =
        [
            // Version 1: one row per event key. WITHOUT ROWID: the key is the table's own b-tree, one search per lookup.
            $"""
            CREATE TABLE IF NOT EXISTS {t} (
                key TEXT NOT NULL PRIMARY KEY,
                lease_id BLOB NOT NULL,
                lease_expires_at INTEGER NOT NULL,
                completed_at INTEGER NULL,
                created_at INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS {Quote(tableName + "_completed_at")} ON {t} (completed_at);
            """,

            // Version 2: the highest sequence handled per payment, a new table beside the events (a version 1 database gains it).
            $"""
            CREATE TABLE IF NOT EXISTS {q} (
                payment_key TEXT NOT NULL PRIMARY KEY,
                sequence INTEGER NOT NULL,
                updated_at INTEGER NOT NULL
            ) WITHOUT ROWID;
            """,
        ];
    }

    public string TableName { get; }

    public string Begin { get; }

    public string Current { get; }

    public string Complete { get; }

    public string Abandon { get; }

    public string ReadSequence { get; }

    public string RaiseSequence { get; }

    public string Probe { get; }

    public string Purge { get; }

    /// <summary>Gets the migrations: index i takes the schema from version i to version i + 1.</summary>
    public IReadOnlyList<string> Migrations { get; }

    /// <summary>Gets the name of the table of the highest sequence handled per payment, beside the events table.</summary>
    public static string SequencesTable(string tableName) => tableName + "_sequences";

    public static string CreateSchemaVersionTable =>
        $"CREATE TABLE IF NOT EXISTS {SchemaVersionTable} (table_name TEXT NOT NULL PRIMARY KEY, version INTEGER NOT NULL, applied_at INTEGER NOT NULL) WITHOUT ROWID";

    public static string ReadSchemaVersion => $"SELECT version FROM {SchemaVersionTable} WHERE table_name = $table";

    public static string WriteSchemaVersion =>
        $"INSERT INTO {SchemaVersionTable} (table_name, version, applied_at) VALUES ($table, $version, $now) ON CONFLICT (table_name) DO UPDATE SET version = excluded.version, applied_at = excluded.applied_at";

    // The name is validated (letters, digits, underscores) before it gets here; quoting keeps keywords usable.
    private static string Quote(string identifier) => "\"" + identifier + "\"";
}
