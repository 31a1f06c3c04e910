namespace Kobbopay.EventStore.Tests.PostgreSql;

/// <summary>
/// What the store's commits wait for, its pool settings, and what a begin lost with a server crash leaves behind
/// (docs/crash-safety.md, PostgreSQL).
/// </summary>
public sealed class PostgreSqlCommitTests(PostgresSchemaFixture schema) : IClassFixture<PostgresSchemaFixture>
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_begin_turns_synchronous_commit_off_for_its_own_transaction_only_and_the_complete_keeps_the_servers()
    {
        await using PostgreSqlWebhookEventStore store = NewStore();
        await store.MigrateAsync(Ct);
        await using NpgsqlConnection connection = await store.DataSource.OpenConnectionAsync(Ct);
        string serverDefault = await ShowAsync(connection);

        await using (NpgsqlTransaction transaction = await connection.BeginTransactionAsync(Ct))
        {
            DateTime now = DateTime.UnixEpoch;
            await using NpgsqlCommand begin = new(store.Statements.Begin, connection, transaction);
            begin.Parameters.Add(new NpgsqlParameter<string> { TypedValue = "shop:evt_1" });
            begin.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.NewGuid() });
            begin.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = now.AddMinutes(5) });
            begin.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = now });
            await using (NpgsqlDataReader reader = await begin.ExecuteReaderAsync(Ct))
            {
                (await reader.ReadAsync(Ct)).ShouldBeTrue();
                reader.GetBoolean(0).ShouldBeTrue("the key was taken");
            }

            (await ShowAsync(connection, transaction)).ShouldBe("off", "the begin's own transaction commits without waiting for the WAL flush");
            await transaction.CommitAsync(Ct);
        }

        (await ShowAsync(connection)).ShouldBe(serverDefault, "the setting ends with the begin's transaction");

        // Through the store: its pooled connections keep the server's setting for everything else (the complete).
        WebhookBeginResult begun = await store.TryBeginAsync("shop:evt_2", Lease, Ct);
        (await store.CompleteAsync("shop:evt_2", begun.LeaseId, Ct)).ShouldBeTrue();
        await using NpgsqlConnection pooled = await store.DataSource.OpenConnectionAsync(Ct);
        (await ShowAsync(pooled)).ShouldBe(serverDefault);
    }

    [Fact]
    public async Task A_begin_lost_with_a_server_crash_leaves_no_lease_so_the_complete_reports_it_and_the_retry_begins_again()
    {
        await using PostgreSqlWebhookEventStore store = NewStore();
        WebhookBeginResult lost = await store.TryBeginAsync("shop:evt_1", Lease, Ct);
        lost.Status.ShouldBe(WebhookBeginStatus.Began);

        // What a server crash inside the WAL writer's window leaves of an unflushed begin: no row at all.
        await PostgresDatabase.ExecuteAsync($"DELETE FROM {store.TableName} WHERE key = 'shop:evt_1'", Ct);

        (await store.CompleteAsync("shop:evt_1", lost.LeaseId, Ct)).ShouldBeFalse("the lease is gone: nothing is recorded as processed");
        WebhookBeginResult retry = await store.TryBeginAsync("shop:evt_1", Lease, Ct);
        retry.Status.ShouldBe(WebhookBeginStatus.Began, "the sender's retry begins again at once, no lease to wait out");
        (await store.CompleteAsync("shop:evt_1", retry.LeaseId, Ct)).ShouldBeTrue();
        (await store.TryBeginAsync("shop:evt_1", Lease, Ct)).Status.ShouldBe(WebhookBeginStatus.Duplicate);
    }

    [Theory]
    [InlineData("", 16, true)]
    [InlineData(";Max Auto Prepare=0;No Reset On Close=false", 0, false)]
    public void The_data_source_the_store_builds_prepares_its_statements_and_skips_the_reset_unless_the_connection_string_says(string extra, int maxAutoPrepare, bool noResetOnClose)
    {
        using PostgreSqlWebhookEventStore store = new(new PostgreSqlWebhookEventStoreOptions { ConnectionString = "Host=db;Username=shop;Password=hunter2" + extra, PurgeInterval = TimeSpan.Zero });

        NpgsqlConnectionStringBuilder built = new(store.DataSource.ConnectionString);
        built.MaxAutoPrepare.ShouldBe(maxAutoPrepare);
        built.NoResetOnClose.ShouldBe(noResetOnClose);
    }

    private static async Task<string> ShowAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction = null)
    {
        await using NpgsqlCommand show = new("SHOW synchronous_commit", connection, transaction);
        return (string)(await show.ExecuteScalarAsync(Ct))!;
    }

    private PostgreSqlWebhookEventStore NewStore() => new(new PostgreSqlWebhookEventStoreOptions
    {
        ConnectionString = PostgresDatabase.RequireConnectionString(),
        Schema = schema.Schema,
        TableName = schema.NextTable("commit"),
        PurgeInterval = TimeSpan.Zero,
    });
}
