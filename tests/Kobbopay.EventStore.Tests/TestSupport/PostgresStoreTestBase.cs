namespace Kobbopay.EventStore.Tests.TestSupport;

/// <summary>What the PostgreSQL store's batch tests share: a schema of their own per class, a store on a new table of it, and a trigger that fails one key.</summary>
public abstract class PostgresStoreTestBase(PostgresSchemaFixture schema) : IClassFixture<PostgresSchemaFixture>
{
    protected static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Creates a store on a new table of the class's schema (tables named prefix_N), with no purge timer.</summary>
    protected PostgreSqlWebhookEventStore NewStore(string prefix, TimeProvider? clock = null) => new(
        new PostgreSqlWebhookEventStoreOptions
        {
            ConnectionString = PostgresDatabase.RequireConnectionString(),
            Schema = schema.Schema,
            TableName = schema.NextTable(prefix),
            PurgeInterval = TimeSpan.Zero,
        },
        clock);

    /// <summary>Makes every <paramref name="operation"/> (INSERT, UPDATE) of the row of <paramref name="key"/> in the store's table fail with <paramref name="message"/>.</summary>
    protected async Task FailOnKeyAsync(PostgreSqlWebhookEventStore store, string operation, string key, string message)
    {
        string function = $"\"{schema.Schema}\".\"poison_{Guid.NewGuid():N}\"";
        await PostgresDatabase.ExecuteAsync(
            $"""
            CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.key = '{key}' THEN RAISE EXCEPTION '{message}'; END IF; RETURN NEW; END $$;
            CREATE TRIGGER poison BEFORE {operation} ON {store.TableName} FOR EACH ROW EXECUTE FUNCTION {function}();
            """,
            Ct);
    }
}
