using Kobbopay.EventStore.Tests.Durable;
using Microsoft.Data.Sqlite;

namespace Kobbopay.EventStore.Tests.Sqlite;

public sealed class SqliteWebhookEventStoreTests(TempDirectory directory) : DurableWebhookEventStoreTests<SqliteWebhookEventStore>, IClassFixture<TempDirectory>
{
    [Fact]
    public async Task The_database_is_in_WAL_mode_with_a_versioned_schema()
    {
        await using SqliteWebhookEventStore store = NewStore(directory.NextFile());

        await store.MigrateAsync(Ct);
        await store.MigrateAsync(Ct); // idempotent

        using SqliteConnection connection = store.OpenConnection();
        Scalar(connection, "PRAGMA journal_mode").ShouldBe("wal");
        Scalar(connection, "SELECT version FROM kobbopay_schema_version WHERE table_name = 'kobbopay_webhook_events'").ShouldBe((long)SqliteWebhookEventStore.SchemaVersion);
    }

    [Fact]
    public async Task Begin_complete_and_abandon_search_the_primary_key_and_purge_uses_its_index()
    {
        await using SqliteWebhookEventStore store = NewStore(directory.NextFile());
        await store.MigrateAsync(Ct);
        using SqliteConnection connection = store.OpenConnection();

        Dictionary<string, string[]> plans = new()
        {
            ["begin"] = Plan(connection, store.Statements.Begin),
            ["begin (current row)"] = Plan(connection, store.Statements.Current),
            ["complete"] = Plan(connection, store.Statements.Complete),
            ["abandon"] = Plan(connection, store.Statements.Abandon),
            ["purge"] = Plan(connection, store.Statements.Purge),
        };
        foreach ((string statement, string[] plan) in plans)
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"{statement}: {string.Join(" | ", plan)}");
            plan.ShouldNotContain(line => line.StartsWith("SCAN", StringComparison.Ordinal), $"{statement} scans a table: {string.Join(" | ", plan)}");
        }

        foreach (string statement in new[] { "begin (current row)", "complete", "abandon" })
        {
            plans[statement].ShouldContain(line => line.StartsWith("SEARCH kobbopay_webhook_events USING PRIMARY KEY (key=?)", StringComparison.Ordinal), statement);
        }

        // An INSERT has no query plan; its ON CONFLICT target is the primary key. Its bytecode shows one probe of the key's
        // b-tree (NoConflict) and no loop over the table: the only Rewind walks the RETURNING buffer (an ephemeral table).
        string[] beginProgram = Opcodes(connection, store.Statements.Begin);
        TestContext.Current.TestOutputHelper?.WriteLine($"begin opcodes: {string.Join(' ', beginProgram)}");
        HashSet<string> tableCursors = [.. beginProgram.Where(o => o.StartsWith("OpenWrite:", StringComparison.Ordinal) || o.StartsWith("OpenRead:", StringComparison.Ordinal)).Select(o => o.Split(':')[1])];
        beginProgram.Where(o => o.StartsWith("Rewind:", StringComparison.Ordinal)).Select(o => o.Split(':')[1]).ShouldNotContain(cursor => tableCursors.Contains(cursor));
        beginProgram.ShouldContain(o => o.StartsWith("NoConflict:", StringComparison.Ordinal));

        plans["purge"].ShouldContain(line => line.Contains("USING COVERING INDEX kobbopay_webhook_events_completed_at (completed_at<?)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_store_reopened_on_the_same_file_remembers_completed_and_held_events()
    {
        string file = directory.NextFile();
        await using (SqliteWebhookEventStore first = NewStore(file))
        {
            WebhookBeginResult done = await first.TryBeginAsync("evt_done", Lease, Ct);
            (await first.CompleteAsync("evt_done", done.LeaseId, Ct)).ShouldBeTrue();
            (await first.TryBeginAsync("evt_held", TimeSpan.FromMinutes(5), Ct)).Status.ShouldBe(WebhookBeginStatus.Began);
        }

        await using SqliteWebhookEventStore restarted = NewStore(file);

        (await restarted.TryBeginAsync("evt_done", Lease, Ct)).Status.ShouldBe(WebhookBeginStatus.Duplicate);
        WebhookBeginResult held = await restarted.TryBeginAsync("evt_held", Lease, Ct);
        held.Status.ShouldBe(WebhookBeginStatus.InProgress);
        held.LeaseExpiresAt.ShouldBe(Clock.GetUtcNow() + TimeSpan.FromMinutes(5));
        Clock.Advance(TimeSpan.FromMinutes(5));
        (await restarted.TryBeginAsync("evt_held", Lease, Ct)).Status.ShouldBe(WebhookBeginStatus.Began);
    }

    [Fact]
    public async Task An_unopenable_database_throws_from_every_call_and_logs_one_error_naming_the_file()
    {
        string file = Path.Combine(directory.Path, "missing-directory", "events.db");
        FakeLogger<SqliteWebhookEventStore> logger = new();
        await using SqliteWebhookEventStore store = new(new SqliteWebhookEventStoreOptions { ConnectionString = $"Data Source={file}", PurgeInterval = TimeSpan.Zero }, Clock, logger);

        await Should.ThrowAsync<SqliteException>(() => store.TryBeginAsync("evt_1", Lease, Ct).AsTask());
        await Should.ThrowAsync<SqliteException>(() => store.TryBeginAsync("evt_1", Lease, Ct).AsTask());
        await Should.ThrowAsync<SqliteException>(() => store.CompleteAsync("evt_1", Guid.NewGuid(), Ct).AsTask());

        FakeLogRecord error = logger.Collector.GetSnapshot().Where(r => r.Level >= LogLevel.Warning).ShouldHaveSingleItem();
        error.Id.Id.ShouldBe(400);
        error.Level.ShouldBe(LogLevel.Error);
        error.StructuredState!.Select(p => p.Value).ShouldContain(file, "the database is named by its file");
        error.Exception.ShouldBeOfType<SqliteException>();
        error.Message.ShouldContain("503");
    }

    [Fact]
    public async Task Purge_expired_keeps_completed_records_for_the_retention_then_removes_them()
    {
        await using SqliteWebhookEventStore store = NewStore(directory.NextFile(), o => o.Retention = TimeSpan.FromDays(3));
        WebhookBeginResult begun = await store.TryBeginAsync("evt_1", Lease, Ct);
        await store.CompleteAsync("evt_1", begun.LeaseId, Ct);

        Clock.Advance(TimeSpan.FromDays(3) - TimeSpan.FromSeconds(1));
        (await store.PurgeExpiredAsync(Ct)).ShouldBe(0);
        (await store.TryBeginAsync("evt_1", Lease, Ct)).Status.ShouldBe(WebhookBeginStatus.Duplicate);

        Clock.Advance(TimeSpan.FromSeconds(2));
        (await store.PurgeExpiredAsync(Ct)).ShouldBe(1);
    }

    [Fact]
    public async Task Purge_removes_more_records_than_one_batch()
    {
        await using SqliteWebhookEventStore store = NewStore(directory.NextFile());
        for (int i = 0; i < 2_500; i++)
        {
            WebhookBeginResult begun = await store.TryBeginAsync($"evt_{i}", Lease, Ct);
            await store.CompleteAsync($"evt_{i}", begun.LeaseId, Ct);
        }

        Clock.Advance(TimeSpan.FromSeconds(1));
        (await store.PurgeAsync(Clock.GetUtcNow(), Ct)).ShouldBe(2_500);
    }

    [Fact]
    public async Task The_store_purges_expired_records_by_itself_every_PurgeInterval()
    {
        await using SqliteWebhookEventStore store = NewStore(directory.NextFile(), o => o.PurgeInterval = TimeSpan.FromHours(1));
        WebhookBeginResult begun = await store.TryBeginAsync("evt_1", Lease, Ct);
        await store.CompleteAsync("evt_1", begun.LeaseId, Ct);

        // The timer fires on the way; the first purge finds nothing yet (completed exactly the retention ago).
        Clock.Advance(TimeSpan.FromDays(3));
        await store.BackgroundPurge;
        (await store.TryBeginAsync("evt_1", Lease, Ct)).Status.ShouldBe(WebhookBeginStatus.Duplicate);

        Clock.Advance(TimeSpan.FromHours(1));
        await store.BackgroundPurge;

        (await store.TryBeginAsync("evt_1", Lease, Ct)).Status.ShouldBe(WebhookBeginStatus.Began); // purged, so begun again
    }

    [Fact]
    public async Task Tables_with_different_names_in_one_file_are_independent()
    {
        string file = directory.NextFile();
        await using SqliteWebhookEventStore shopA = NewStore(file, o => o.TableName = "shop_a_events");
        await using SqliteWebhookEventStore shopB = NewStore(file, o => o.TableName = "shop_b_events");

        WebhookBeginResult a = await shopA.TryBeginAsync("evt_1", Lease, Ct);
        await shopA.CompleteAsync("evt_1", a.LeaseId, Ct);

        (await shopB.TryBeginAsync("evt_1", Lease, Ct)).Status.ShouldBe(WebhookBeginStatus.Began);
        (await shopA.TryBeginAsync("evt_1", Lease, Ct)).Status.ShouldBe(WebhookBeginStatus.Duplicate);
    }

    [Theory]
    [InlineData(null, "Kobbopay:Webhooks:Sqlite:ConnectionString is required")]
    [InlineData("Data Source=:memory:", "Kobbopay:Webhooks:Sqlite:ConnectionString must name a database file")]
    [InlineData("Data Source=x.db;Mode=ReadOnly", "Kobbopay:Webhooks:Sqlite:ConnectionString must not open the database read-only")]
    [InlineData("Data Source=x.db;Bogus=1", "Kobbopay:Webhooks:Sqlite:ConnectionString is not a valid SQLite connection string")]
    public void Invalid_connection_strings_are_refused_naming_the_setting(string? connectionString, string message)
    {
        ArgumentException refused = Should.Throw<ArgumentException>(() => new SqliteWebhookEventStore(new SqliteWebhookEventStoreOptions { ConnectionString = connectionString }));

        refused.Message.ShouldContain(message);
    }

    [Fact]
    public void Other_invalid_settings_are_refused_naming_each_setting()
    {
        SqliteWebhookEventStoreOptions options = new()
        {
            ConnectionString = "Data Source=x.db",
            TableName = "events; DROP TABLE x",
            Retention = TimeSpan.FromHours(10),
            PurgeInterval = TimeSpan.FromSeconds(-1),
            BusyTimeout = TimeSpan.Zero,
        };

        ArgumentException refused = Should.Throw<ArgumentException>(() => new SqliteWebhookEventStore(options));

        refused.Message.ShouldStartWith("TableName: Kobbopay:Webhooks:Sqlite:TableName must be"); // the generated validator names the member, our message the key
        refused.Message.ShouldContain("Kobbopay:Webhooks:Sqlite:TableName must be letters, digits and underscores");
        refused.Message.ShouldContain("Kobbopay:Webhooks:Sqlite:Retention must be at least 12 hours, longer than the gateway's whole retry horizon");
        refused.Message.ShouldContain("Kobbopay:Webhooks:Sqlite:PurgeInterval must not be negative");
        refused.Message.ShouldContain("Kobbopay:Webhooks:Sqlite:BusyTimeout must be more than zero");
    }

    [Fact]
    public void Options_describe_themselves_without_a_password()
    {
        SqliteWebhookEventStoreOptions options = new() { ConnectionString = "Data Source=/data/events.db;Password=hunter2" };

        options.ToString().ShouldContain("/data/events.db");
        options.ToString().ShouldNotContain("hunter2");
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static string[] Plan(SqliteConnection connection, string sql) => Explain(connection, "EXPLAIN QUERY PLAN " + sql, r => r.GetString(3));

    // "opcode:p1" for each instruction (p1 is the cursor for cursor opcodes).
    private static string[] Opcodes(SqliteConnection connection, string sql) => Explain(connection, "EXPLAIN " + sql, r => $"{r.GetString(1)}:{r.GetInt64(2)}");

    private static string[] Explain(SqliteConnection connection, string explainSql, Func<SqliteDataReader, string> line)
    {
        string sql = explainSql;
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = explainSql;
        foreach (string name in new[] { "$key", "$lease_id", "$lease_expires_at", "$now", "$cutoff" })
        {
            if (sql.Contains(name, StringComparison.Ordinal))
            {
                command.Parameters.AddWithValue(name, name == "$lease_id" ? Guid.NewGuid() : name == "$key" ? "evt_1" : 1L);
            }
        }

        List<string> lines = [];
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            lines.Add(line(reader));
        }

        return [.. lines];
    }

    protected override string NextLocation() => directory.NextFile();

    protected override SqliteWebhookEventStore Open(string location, bool autoMigrate = true) => NewStore(location, o => o.AutoMigrate = autoMigrate);

    protected override Task MigrateAsync(SqliteWebhookEventStore store) => store.MigrateAsync(Ct);

    protected override async Task SetSchemaVersionAsync(string location, int version)
    {
        await using SqliteWebhookEventStore store = NewStore(location);
        using SqliteConnection connection = store.OpenConnection();
        Scalar(connection, $"UPDATE kobbopay_schema_version SET version = {version} RETURNING version");
    }

    protected override async Task DowngradeToVersion1Async(string location)
    {
        await using SqliteWebhookEventStore store = NewStore(location);
        using SqliteConnection connection = store.OpenConnection();
        Scalar(connection, "DROP TABLE kobbopay_webhook_events_sequences; UPDATE kobbopay_schema_version SET version = 1 RETURNING version");
    }

    private SqliteWebhookEventStore NewStore(string file, Action<SqliteWebhookEventStoreOptions>? configure = null)
    {
        SqliteWebhookEventStoreOptions options = new() { ConnectionString = $"Data Source={file}", PurgeInterval = TimeSpan.Zero };
        configure?.Invoke(options);
        return new SqliteWebhookEventStore(options, Clock);
    }
}
