namespace Kobbopay.EventStore.Tests.PostgreSql;

/// <summary>
/// What the store's commits wait for, its pool settings, what a begin lost with a server crash leaves behind, and the
/// group commit of completes (docs/crash-safety.md, PostgreSQL): completes that arrive while a batch is in flight are
/// committed together in the next one, each caller answered for its own lease after that commit. A group commit test
/// holds the first batch in flight with a row lock on its key (PostgresRowLock, from another connection) while the
/// others queue behind it; the store queues a complete before its first await, so every call made before the lock is
/// released is in the second batch.
/// </summary>
public sealed class PostgreSqlCommitTests(PostgresSchemaFixture schema) : PostgresStoreTestBase(schema)
{
    [Fact]
    public async Task The_begin_turns_synchronous_commit_off_for_its_own_transaction_only_and_the_complete_keeps_the_servers()
    {
        await using PostgreSqlWebhookEventStore store = NewStore("commit");
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
        await using PostgreSqlWebhookEventStore store = NewStore("commit");
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

    [Fact]
    public async Task Completes_gathered_behind_a_batch_in_flight_commit_together_and_each_caller_gets_its_own_lease_result()
    {
        await using PostgreSqlWebhookEventStore store = NewStore("commit");
        Dictionary<string, Guid> leases = await BeginAsync(store, "shop:held", "shop:a", "shop:b", "shop:c");

        ValueTask<bool> held;
        ValueTask<bool>[] gathered;
        await using (PostgresRowLock rowLock = await PostgresRowLock.TakeAsync(store, "shop:held", Ct))
        {
            held = store.CompleteAsync("shop:held", leases["shop:held"], Ct);
            gathered =
            [
                store.CompleteAsync("shop:a", leases["shop:a"], Ct),
                store.CompleteAsync("shop:b", Guid.NewGuid(), Ct), // not its lease: lost
                store.CompleteAsync("shop:c", leases["shop:c"], Ct),
                store.CompleteAsync("shop:c", leases["shop:c"], Ct), // the same lease twice: the second finds it completed
                store.CompleteAsync("shop:never-begun", Guid.NewGuid(), Ct),
            ];
            held.IsCompleted.ShouldBeFalse("the first batch waits for the row lock");
        }

        (await held).ShouldBeTrue();
        bool[] results = [await gathered[0], await gathered[1], await gathered[2], await gathered[3], await gathered[4]];
        results[0].ShouldBeTrue("a's own lease");
        results[1].ShouldBeFalse("b's complete names another lease: reported lost to that caller only");
        (results[2] ^ results[3]).ShouldBeTrue("of the same lease completed twice at once, exactly one completes it");
        results[4].ShouldBeFalse("no row");
        store.Completes.Batches.ShouldBe(2, "the five completes that gathered behind the first were committed in one transaction");
        (await CompletedAsync(store, "shop:held", "shop:a", "shop:b", "shop:c", "shop:never-begun")).ShouldBe(["shop:a", "shop:c", "shop:held"]);
        (await store.TryBeginAsync("shop:b", Lease, Ct)).Status.ShouldBe(WebhookBeginStatus.InProgress, "the lost complete left b's lease alone");
    }

    [Fact]
    public async Task Sequenced_completes_gathered_behind_a_batch_in_flight_commit_together_each_caller_answered_and_the_highest_sequence_kept()
    {
        await using PostgreSqlWebhookEventStore store = NewStore("commit");
        Dictionary<string, Guid> leases = await BeginAsync(store, "shop:held", "shop:a", "shop:b", "shop:c", "shop:d");

        ValueTask<bool> held;
        ValueTask<bool>[] gathered;
        await using (PostgresRowLock rowLock = await PostgresRowLock.TakeAsync(store, "shop:held", Ct))
        {
            held = store.CompleteAsync("shop:held", leases["shop:held"], "shop:pay_0", 1, Ct);
            gathered =
            [
                store.CompleteAsync("shop:a", leases["shop:a"], "shop:pay_1", 5, Ct),
                store.CompleteAsync("shop:b", leases["shop:b"], "shop:pay_1", 3, Ct), // the same payment, lower: 5 is kept
                store.CompleteAsync("shop:c", Guid.NewGuid(), "shop:pay_2", 2, Ct), // not its lease: lost, the sequence raised all the same
                store.CompleteAsync("shop:d", leases["shop:d"], Ct), // a plain complete in the same batch
            ];
            held.IsCompleted.ShouldBeFalse("the first batch waits for the row lock");
        }

        (await held).ShouldBeTrue();
        bool[] results = [await gathered[0], await gathered[1], await gathered[2], await gathered[3]];
        results.ShouldBe([true, true, false, true], "each caller gets its own lease's answer");
        store.Completes.Batches.ShouldBe(2, "the four completes that gathered behind the first were committed in one transaction");
        (await CompletedAsync(store, "shop:held", "shop:a", "shop:b", "shop:c", "shop:d")).ShouldBe(["shop:a", "shop:b", "shop:d", "shop:held"]);
        (await SequencesAsync(store)).ShouldBe(["shop:pay_0=1", "shop:pay_1=5", "shop:pay_2=2"], "read back on a connection of its own: the highest of each payment");
    }

    [Fact]
    public async Task Completes_from_many_concurrent_callers_are_all_durable_when_they_return()
    {
        await using PostgreSqlWebhookEventStore store = NewStore("commit");
        string[] keys = [.. Enumerable.Range(1, 64).Select(i => $"shop:evt_{i}")];
        Dictionary<string, Guid> leases = await BeginAsync(store, keys);

        bool[] completed = await Task.WhenAll(keys.Select(key => Task.Run(async () => await store.CompleteAsync(key, leases[key], Ct), Ct)));

        completed.ShouldAllBe(c => c);
        store.Completes.Batches.ShouldBeLessThanOrEqualTo(64);
        (await CompletedAsync(store, keys)).Length.ShouldBe(64, "read back on a connection of its own, outside the store's pool");
        foreach (string key in keys)
        {
            (await store.TryBeginAsync(key, Lease, Ct)).Status.ShouldBe(WebhookBeginStatus.Duplicate);
        }
    }

    [Fact]
    public async Task A_cancelled_caller_stops_waiting_without_failing_the_batch_of_the_others()
    {
        await using PostgreSqlWebhookEventStore store = NewStore("commit");
        Dictionary<string, Guid> leases = await BeginAsync(store, "shop:held", "shop:x", "shop:y");
        using CancellationTokenSource heldCaller = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        using CancellationTokenSource queuedCaller = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        ValueTask<bool> held;
        ValueTask<bool> x;
        ValueTask<bool> y;
        await using (PostgresRowLock rowLock = await PostgresRowLock.TakeAsync(store, "shop:held", Ct))
        {
            held = store.CompleteAsync("shop:held", leases["shop:held"], heldCaller.Token);
            x = store.CompleteAsync("shop:x", leases["shop:x"], queuedCaller.Token);
            y = store.CompleteAsync("shop:y", leases["shop:y"], Ct);

            // Cancelled in flight (its batch is running) and cancelled while queued (no batch has taken it yet).
            await heldCaller.CancelAsync();
            await queuedCaller.CancelAsync();
            await Should.ThrowAsync<OperationCanceledException>(held.AsTask());
            await Should.ThrowAsync<OperationCanceledException>(x.AsTask());
        }

        (await y).ShouldBeTrue("the other caller's complete is unaffected");
        (await CompletedAsync(store, "shop:held", "shop:x", "shop:y")).ShouldBe(
            ["shop:held", "shop:y"],
            "the batch in flight went on without its cancelled caller; the withdrawn complete never ran");
        (await store.CompleteAsync("shop:x", leases["shop:x"], Ct)).ShouldBeTrue("the withdrawn caller's lease is intact");
    }

    [Fact]
    public async Task A_failed_batch_fails_each_of_its_callers_and_commits_none_of_them()
    {
        await using PostgreSqlWebhookEventStore store = NewStore("commit");
        Dictionary<string, Guid> leases = await BeginAsync(store, "shop:held", "shop:a", "shop:poison", "shop:b");
        await FailOnKeyAsync(store, "UPDATE", "shop:poison", "poisoned complete");

        ValueTask<bool> held;
        ValueTask<bool>[] gathered;
        await using (PostgresRowLock rowLock = await PostgresRowLock.TakeAsync(store, "shop:held", Ct))
        {
            held = store.CompleteAsync("shop:held", leases["shop:held"], Ct);
            gathered = [.. new[] { "shop:a", "shop:poison", "shop:b" }.Select(key => store.CompleteAsync(key, leases[key], Ct))];
        }

        (await held).ShouldBeTrue("the batch before is not touched by the next one's failure");
        foreach (ValueTask<bool> caller in gathered)
        {
            (await Should.ThrowAsync<PostgresException>(caller.AsTask())).MessageText.ShouldBe("poisoned complete");
        }

        (await CompletedAsync(store, "shop:a", "shop:poison", "shop:b")).ShouldBeEmpty("one transaction: nothing of the failed batch was committed");
        (await store.CompleteAsync("shop:a", leases["shop:a"], Ct)).ShouldBeTrue("a caller may retry its complete: its lease is intact");
    }

    private static async Task<string> ShowAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction = null)
    {
        await using NpgsqlCommand show = new("SHOW synchronous_commit", connection, transaction);
        return (string)(await show.ExecuteScalarAsync(Ct))!;
    }

    private static async Task<Dictionary<string, Guid>> BeginAsync(PostgreSqlWebhookEventStore store, params string[] keys)
    {
        Dictionary<string, Guid> leases = [];
        foreach (string key in keys)
        {
            WebhookBeginResult begun = await store.TryBeginAsync(key, Lease, Ct);
            begun.Status.ShouldBe(WebhookBeginStatus.Began);
            leases[key] = begun.LeaseId;
        }

        return leases;
    }

    /// <summary>Reads which of the keys are completed, on a new connection outside the store's pool, sorted.</summary>
    private static async Task<string[]> CompletedAsync(PostgreSqlWebhookEventStore store, params string[] keys)
    {
        await using NpgsqlConnection connection = new(PostgresDatabase.RequireConnectionString() + ";Pooling=false");
        await connection.OpenAsync(Ct);
        await using NpgsqlCommand read = new($"SELECT key FROM {store.TableName} WHERE key = ANY($1) AND completed_at IS NOT NULL ORDER BY key", connection);
        read.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = keys });
        List<string> completed = [];
        await using NpgsqlDataReader reader = await read.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            completed.Add(reader.GetString(0));
        }

        return [.. completed];
    }

    /// <summary>Reads every payment's highest handled sequence as "key=sequence", on a new connection outside the store's pool, sorted.</summary>
    private static async Task<string[]> SequencesAsync(PostgreSqlWebhookEventStore store)
    {
        await using NpgsqlConnection connection = new(PostgresDatabase.RequireConnectionString() + ";Pooling=false");
        await connection.OpenAsync(Ct);
        await using NpgsqlCommand read = new($"SELECT payment_key, sequence FROM {store.TableName}_sequences ORDER BY payment_key", connection);
        List<string> sequences = [];
        await using NpgsqlDataReader reader = await read.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            sequences.Add(reader.GetString(0) + "=" + reader.GetInt64(1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return [.. sequences];
    }
}
