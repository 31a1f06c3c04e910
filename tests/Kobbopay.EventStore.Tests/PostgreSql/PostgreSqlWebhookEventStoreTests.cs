using Kobbopay.EventStore.Tests.Durable;

namespace Kobbopay.EventStore.Tests.PostgreSql;

public sealed class PostgreSqlWebhookEventStoreTests(PostgresSchemaFixture schema) : DurableWebhookEventStoreTests<PostgreSqlWebhookEventStore>, IClassFixture<PostgresSchemaFixture>
{
    [Fact]
    public async Task Begin_complete_and_abandon_use_the_primary_key_index_and_purge_the_completed_index()
    {
        await using PostgreSqlWebhookEventStore store = NewStore(out string table);
        await store.MigrateAsync(Ct);
        // Enough rows, analyzed, that the planner would rather scan a table without a usable index.
        await PostgresDatabase.ExecuteAsync(
            $"""
            INSERT INTO "{schema.Schema}"."{table}" (key, lease_id, lease_expires_at, completed_at, created_at)
            SELECT 'shop:evt_' || g, gen_random_uuid(), now(), CASE WHEN g % 2 = 0 THEN now() END, now() FROM generate_series(1, 20000) AS g;
            ANALYZE "{schema.Schema}"."{table}";
            """,
            Ct);
        DateTime now = Clock.GetUtcNow().UtcDateTime;
        Guid lease = Guid.NewGuid();

        Dictionary<string, string> plans = new()
        {
            ["begin"] = await ExplainAsync(store, store.Statements.Begin, "shop:evt_7", lease, now.AddMinutes(1), now),
            ["begin (current row)"] = await ExplainAsync(store, store.Statements.Current, "shop:evt_7"),
            ["complete"] = await ExplainAsync(store, store.Statements.Complete, "shop:evt_7", lease, now),
            ["abandon"] = await ExplainAsync(store, store.Statements.Abandon, "shop:evt_7", lease),
            ["purge"] = await ExplainAsync(store, store.Statements.Purge, now.AddDays(-3)),
        };

        string pkey = $"{table}_pkey";
        foreach ((string statement, string plan) in plans)
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"{statement}:\n{plan}");
            plan.ShouldNotContain("Seq Scan", customMessage: statement);
        }

        plans["begin"].ShouldContain($"Conflict Arbiter Indexes: {pkey}");
        plans["begin"].ShouldContain($"Index Scan using {pkey}");
        plans["begin (current row)"].ShouldContain($"Index Scan using {pkey}");
        plans["complete"].ShouldContain($"Index Scan using {pkey}");
        plans["abandon"].ShouldContain($"Index Scan using {pkey}");
        plans["purge"].ShouldContain($"{table}_completed_at");
    }

    [Fact]
    public async Task A_server_that_is_not_there_makes_every_call_throw_and_is_logged_once_without_the_password()
    {
        PostgresDatabase.RequireConnectionString(); // skipped like the other PostgreSQL tests when none is configured
        int port = ClosedPort.Find();
        FakeLogger<PostgreSqlWebhookEventStore> logger = new();
        await using PostgreSqlWebhookEventStore store = new(
            new PostgreSqlWebhookEventStoreOptions
            {
                ConnectionString = $"Host=127.0.0.1;Port={port};Username=shop;Password=s3cret-never-logged;Database=shop;Timeout=2",
                PurgeInterval = TimeSpan.Zero,
            },
            Clock,
            logger);

        for (int i = 0; i < 3; i++)
        {
            Exception thrown = await Should.ThrowAsync<Exception>(() => store.TryBeginAsync("shop:evt_1", Lease, Ct).AsTask());
            thrown.ShouldBeAssignableTo<NpgsqlException>();
        }

        (await Should.ThrowAsync<Exception>(() => store.CompleteAsync("shop:evt_1", Guid.NewGuid(), Ct).AsTask())).ShouldBeAssignableTo<NpgsqlException>();

        IReadOnlyList<FakeLogRecord> records = logger.Collector.GetSnapshot();
        FakeLogRecord error = records.Where(r => r.Level >= LogLevel.Warning).ShouldHaveSingleItem();
        error.Id.Id.ShouldBe(420);
        error.Level.ShouldBe(LogLevel.Error);
        error.StructuredState!.Select(p => p.Value).ShouldContain($"127.0.0.1:{port}/shop", "the server is named by host, port and database");
        error.Exception.ShouldBeAssignableTo<NpgsqlException>();
        error.Message.ShouldContain("503");
        records.Texts().ShouldNotContain(t => t.Contains("s3cret-never-logged", StringComparison.Ordinal), "the password reached a log record");
    }

    [Fact]
    public async Task Migrations_from_many_instances_at_once_create_the_schema_once()
    {
        string table = schema.NextTable("race");
        PostgreSqlWebhookEventStore[] instances = [.. Enumerable.Range(0, 6).Select(_ => NewStore(table))];
        try
        {
            await Task.WhenAll(instances.Select(s => Task.Run(() => s.MigrateAsync(Ct), Ct)));
            WebhookBeginResult[] results = await Task.WhenAll(instances.Select(s => s.TryBeginAsync("shop:evt_1", Lease, Ct).AsTask()));
            results.Count(r => r.Status == WebhookBeginStatus.Began).ShouldBe(1);
        }
        finally
        {
            foreach (PostgreSqlWebhookEventStore instance in instances)
            {
                await instance.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Purge_expired_keeps_completed_records_for_the_retention_then_removes_them_in_batches()
    {
        string table = schema.NextTable("purge");
        await using PostgreSqlWebhookEventStore store = NewStore(table);
        await store.MigrateAsync(Ct);
        DateTime completedAt = Clock.GetUtcNow().UtcDateTime;
        await PostgresDatabase.ExecuteAsync(
            $"""
            INSERT INTO "{schema.Schema}"."{table}" (key, lease_id, lease_expires_at, completed_at, created_at)
            SELECT 'shop:evt_' || g, gen_random_uuid(), '{completedAt:O}', '{completedAt:O}', '{completedAt:O}' FROM generate_series(1, 12000) AS g
            """,
            Ct);

        Clock.Advance(TimeSpan.FromDays(3) - TimeSpan.FromSeconds(1));
        (await store.PurgeExpiredAsync(Ct)).ShouldBe(0);
        (await store.TryBeginAsync("shop:evt_1", Lease, Ct)).Status.ShouldBe(WebhookBeginStatus.Duplicate);

        Clock.Advance(TimeSpan.FromSeconds(2));
        (await store.PurgeExpiredAsync(Ct)).ShouldBe(12000);
        (await store.TryBeginAsync("shop:evt_1", Lease, Ct)).Status.ShouldBe(WebhookBeginStatus.Began);
    }

    [Fact]
    public async Task A_store_on_a_caller_owned_data_source_leaves_it_open()
    {
        await using NpgsqlDataSource dataSource = NpgsqlDataSource.Create(PostgresDatabase.RequireConnectionString());
        PostgreSqlWebhookEventStoreOptions options = new() { Schema = schema.Schema, TableName = schema.NextTable("owned"), PurgeInterval = TimeSpan.Zero };
        await using (PostgreSqlWebhookEventStore store = new(dataSource, options, Clock))
        {
            (await store.TryBeginAsync("shop:evt_1", Lease, Ct)).Status.ShouldBe(WebhookBeginStatus.Began);
        }

        await using NpgsqlCommand ping = dataSource.CreateCommand("SELECT 1");
        (await ping.ExecuteScalarAsync(Ct)).ShouldBe(1);
    }

    [Fact]
    public void Invalid_settings_are_refused_naming_each_setting_and_options_never_show_the_password()
    {
        PostgreSqlWebhookEventStoreOptions options = new()
        {
            Schema = "public\"; DROP",
            TableName = "",
            Retention = TimeSpan.FromHours(1),
        };

        ArgumentException refused = Should.Throw<ArgumentException>(() => new PostgreSqlWebhookEventStore(options));

        refused.Message.ShouldContain("Kobbopay:Webhooks:PostgreSql:ConnectionString is required");
        refused.Message.ShouldContain("Kobbopay:Webhooks:PostgreSql:Schema must be letters");
        refused.Message.ShouldContain("Kobbopay:Webhooks:PostgreSql:TableName must be letters");
        refused.Message.ShouldContain("Kobbopay:Webhooks:PostgreSql:Retention must be at least 12 hours");

        PostgreSqlWebhookEventStoreOptions described = new() { ConnectionString = "Host=db;Port=5433;Database=shop;Username=shop;Password=hunter2" };
        described.ToString().ShouldContain("db:5433/shop");
        described.ToString().ShouldNotContain("hunter2");
    }

    private static async Task<string> ExplainAsync(PostgreSqlWebhookEventStore store, string sql, params object[] parameters)
    {
        await using NpgsqlCommand command = store.DataSource.CreateCommand("EXPLAIN (COSTS OFF) " + sql);
        foreach (object parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        List<string> lines = [];
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }

    protected override string NextLocation() => schema.NextTable();

    protected override PostgreSqlWebhookEventStore Open(string location, bool autoMigrate = true) => NewStore(location, o => o.AutoMigrate = autoMigrate);

    protected override Task MigrateAsync(PostgreSqlWebhookEventStore store) => store.MigrateAsync(Ct);

    protected override Task SetSchemaVersionAsync(string location, int version) =>
        PostgresDatabase.ExecuteAsync($"UPDATE \"{schema.Schema}\".kobbopay_schema_version SET version = {version} WHERE table_name = '{location}'", Ct);

    protected override Task DowngradeToVersion1Async(string location) =>
        PostgresDatabase.ExecuteAsync($"DROP TABLE \"{schema.Schema}\".\"{location}_sequences\"; UPDATE \"{schema.Schema}\".kobbopay_schema_version SET version = 1 WHERE table_name = '{location}'", Ct);

    private PostgreSqlWebhookEventStore NewStore(out string table)
    {
        table = schema.NextTable();
        return NewStore(table);
    }

    private PostgreSqlWebhookEventStore NewStore(string table, Action<PostgreSqlWebhookEventStoreOptions>? configure = null)
    {
        PostgreSqlWebhookEventStoreOptions options = new()
        {
            ConnectionString = PostgresDatabase.RequireConnectionString(),
            Schema = schema.Schema,
            TableName = table,
            PurgeInterval = TimeSpan.Zero,
        };
        configure?.Invoke(options);
        return new PostgreSqlWebhookEventStore(options, Clock);
    }
}
