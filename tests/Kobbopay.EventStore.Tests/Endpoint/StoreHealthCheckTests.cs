using System.Text.Json;
using Kobbopay.Contracts;
using Kobbopay.EventStore.Tests.PostgreSql;
using Microsoft.Data.Sqlite;

namespace Kobbopay.EventStore.Tests.Endpoint;

/// <summary>The <c>kobbopay-event-store</c> check of <c>AddKobbopayHealthChecks</c> over each durable store, on a real app's <c>/health</c>.</summary>
public sealed class StoreHealthCheckTests(PostgresSchemaFixture schema) : IClassFixture<PostgresSchemaFixture>, IDisposable
{
    private readonly TempDirectory _directory = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ASqliteStore_IsHealthy_NamingItsFile()
    {
        string file = _directory.NextFile();
        await using WebhookApp app = await WebhookApp.StartAsync(s => s.AddKobbopaySqliteEventStore(o => o.ConnectionString = $"Data Source={file}"), new WebhookApp.HandlerLog(), health: true);

        (int status, JsonElement check) = await EventStoreCheckAsync(app);

        status.ShouldBe(200);
        check.Str("status").ShouldBe("Healthy");
        check.Str("description").ShouldBe($"The webhook event store answered: {file}.");
        File.Exists(file).ShouldBeTrue("the probe went through the store, which created the file and its schema");
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task WithQueuedProcessing_TheInboxIsProbedOnce_AndAnUnreadableInboxTable_MakesTheAppUnhealthy_NamingIt(string kind)
    {
        string file = _directory.NextFile();
        string connection = kind == "postgres" ? PostgresDatabase.RequireConnectionString() : $"Data Source={file}";
        string table = kind == "postgres" ? schema.NextTable("queued_health") : "kobbopay_webhook_events";
        string inbox = kind == "postgres"
            ? $"{PostgreSqlWebhookEventStoreOptions.DescribeServer(connection)} (inbox table {schema.Schema}.{table}_inbox)"
            : $"{file} (inbox table {table}_inbox)";
        string store = kind == "postgres" ? PostgreSqlWebhookEventStoreOptions.DescribeServer(connection) : file;
        await using WebhookApp app = await WebhookApp.StartAsync(
            s => _ = kind == "postgres" ? s.AddKobbopayPostgreSqlEventStore(o => Configure(o, connection, schema.Schema, table)) : s.AddKobbopaySqliteEventStore(o => o.ConnectionString = connection),
            new WebhookApp.HandlerLog(),
            health: true,
            webhooks: w => w.UseQueuedProcessing());

        (int status, JsonElement check) = await EventStoreCheckAsync(app);
        status.ShouldBe(200);
        check.Str("description").ShouldBe($"The webhook event store answered: {store}, {inbox}.", "the store, then the inbox, each probed once");

        await RenameAsync(kind, connection, kind == "postgres" ? $"\"{schema.Schema}\".\"{table}_inbox\"" : $"{table}_inbox", $"{table}_inbox_gone");

        (status, check) = await EventStoreCheckAsync(app);
        status.ShouldBe(503);
        check.Str("status").ShouldBe("Unhealthy");
        check.Str("description").ShouldBe($"The webhook event store cannot be reached: {inbox} ({(kind == "postgres" ? "PostgresException" : "SqliteException")}). Deliveries are answered 503 until it is back.");
    }

    [Fact]
    public async Task APostgreSqlStore_IsHealthy_NamingItsServer()
    {
        string connection = PostgresDatabase.RequireConnectionString();
        await using WebhookApp app = await WebhookApp.StartAsync(s => s.AddKobbopayPostgreSqlEventStore(o => Configure(o, connection, schema.Schema, schema.NextTable("health"))), new WebhookApp.HandlerLog(), health: true);

        (int status, JsonElement check) = await EventStoreCheckAsync(app);

        status.ShouldBe(200);
        check.Str("status").ShouldBe("Healthy");
        check.Str("description").ShouldBe($"The webhook event store answered: {PostgreSqlWebhookEventStoreOptions.DescribeServer(connection)}.");
    }

    [Fact]
    public async Task APostgreSqlServerNobodyAnswersFor_MakesTheAppUnhealthy_Answering503_WithoutThePassword()
    {
        PostgresDatabase.RequireConnectionString(); // skipped like the other PostgreSQL tests when none is configured
        int port = ClosedPort.Find();
        string connection = $"Host=127.0.0.1;Port={port};Username=shop;Password=s3cret-never-shown;Database=shop;Timeout=2";
        await using WebhookApp app = await WebhookApp.StartAsync(s => s.AddKobbopayPostgreSqlEventStore(o => Configure(o, connection, "public", "events")), new WebhookApp.HandlerLog(), health: true);
        using HttpClient http = new();

        ApiResponse health = await http.GetApiAsync(app.HealthUrl.ToString(), Ct);

        health.Status.ShouldBe(503);
        health.Json.Str("status").ShouldBe("Unhealthy");
        JsonElement check = health.Json.Prop("checks").Prop(KobbopayHealthCheckNames.EventStore);
        check.Str("status").ShouldBe("Unhealthy");
        check.Str("description").ShouldBe($"The webhook event store cannot be reached: 127.0.0.1:{port}/shop (NpgsqlException). Deliveries are answered 503 until it is back.");
        health.Body.ShouldNotContain("s3cret-never-shown");
        health.Json.Prop("checks").Prop(KobbopayHealthCheckNames.Webhooks).Str("status").ShouldBe("Healthy", "each check reports on its own");
    }

    public void Dispose() => _directory.Dispose();

    /// <summary>Renames a table behind the app's back, with a connection of the test's own.</summary>
    private static async Task RenameAsync(string kind, string connection, string table, string newName)
    {
        string sql = $"ALTER TABLE {table} RENAME TO {newName}";
        if (kind == "postgres")
        {
            await using NpgsqlConnection npgsql = new(connection);
            await npgsql.OpenAsync(Ct);
            await using NpgsqlCommand command = new(sql, npgsql);
            await command.ExecuteNonQueryAsync(Ct);
            return;
        }

        await using SqliteConnection sqlite = new(connection + ";Pooling=False");
        await sqlite.OpenAsync(Ct);
        await using SqliteCommand rename = new(sql, sqlite);
        await rename.ExecuteNonQueryAsync(Ct);
    }

    internal static void Configure(PostgreSqlWebhookEventStoreOptions options, string connection, string schemaName, string table)
    {
        options.ConnectionString = connection;
        options.Schema = schemaName;
        options.TableName = table;
        options.PurgeInterval = TimeSpan.Zero;
    }

    internal static async Task<(int Status, JsonElement Check)> EventStoreCheckAsync(WebhookApp app)
    {
        using HttpClient http = new();
        ApiResponse health = await http.GetApiAsync(app.HealthUrl.ToString(), Ct);
        return (health.Status, health.Json.Prop("checks").Prop(KobbopayHealthCheckNames.EventStore));
    }
}
