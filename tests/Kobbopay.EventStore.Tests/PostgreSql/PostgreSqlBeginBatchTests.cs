namespace Kobbopay.EventStore.Tests.PostgreSql;

/// <summary>
/// The batches of begins (docs/crash-safety.md, PostgreSQL): begins that arrive while a batch of begins is in flight run
/// together in the next one, one round trip and one transaction, each caller answered with its own result. A test holds
/// the first batch in flight with a row lock on its key (<see cref="PostgresRowLock"/>, from another connection) while the
/// others queue behind it; the store queues a begin before its first await, so every call made before the lock is
/// released is in the second batch.
/// </summary>
public sealed class PostgreSqlBeginBatchTests(PostgresSchemaFixture schema) : PostgresStoreTestBase(schema)
{
    [Fact]
    public async Task Begins_gathered_behind_a_batch_in_flight_run_in_one_round_trip_and_each_caller_gets_its_own_answer()
    {
        await using PostgreSqlWebhookEventStore store = NewStore("begin");
        await CompleteAsync(store, "shop:held");
        await CompleteAsync(store, "shop:done", "shop:pay_1", 4);
        WebhookBeginResult taken = await store.TryBeginAsync("shop:taken", Lease, Ct);
        long before = store.Begins.Batches;

        ValueTask<WebhookBeginResult> held;
        ValueTask<WebhookBeginResult>[] gathered;
        await using (PostgresRowLock rowLock = await PostgresRowLock.TakeAsync(store, "shop:held", Ct))
        {
            held = store.TryBeginAsync("shop:held", Lease, Ct);
            gathered =
            [
                store.TryBeginAsync("shop:fresh", Lease, Ct),
                store.TryBeginAsync("shop:done", Lease, Ct),
                store.TryBeginAsync("shop:taken", Lease, Ct),
                store.TryBeginAsync("shop:next", Lease, "shop:pay_1", Ct),
                store.TryBeginAsync("shop:first", Lease, "shop:pay_2", Ct),
            ];
            held.IsCompleted.ShouldBeFalse("the first batch waits for the row lock");
        }

        (await held).Status.ShouldBe(WebhookBeginStatus.Duplicate);
        WebhookBeginResult[] results = [await gathered[0], await gathered[1], await gathered[2], await gathered[3], await gathered[4]];
        results.Select(r => r.Status).ShouldBe([WebhookBeginStatus.Began, WebhookBeginStatus.Duplicate, WebhookBeginStatus.InProgress, WebhookBeginStatus.Began, WebhookBeginStatus.Began]);
        results[2].LeaseExpiresAt.ShouldBe(taken.LeaseExpiresAt, "the holder's lease, read by the same statement");
        results[3].HandledSequence.ShouldBe(4, "the payment's highest handled sequence, read by its own begin");
        results[4].HandledSequence.ShouldBeNull("a payment with none handled yet");
        results[0].HandledSequence.ShouldBeNull("a plain begin reads no sequence");
        results.Where(r => r.Status == WebhookBeginStatus.Began).Select(r => r.LeaseId).Distinct().Count().ShouldBe(3, "each begun caller has a lease of its own");
        (store.Begins.Batches - before).ShouldBe(2, "the five begins that gathered behind the first ran in one batch");
        (await store.CompleteAsync("shop:fresh", results[0].LeaseId, Ct)).ShouldBeTrue("the lease the caller was given is the row's");
        (await store.CompleteAsync("shop:next", results[3].LeaseId, "shop:pay_1", 5, Ct)).ShouldBeTrue();
    }

    [Fact]
    public async Task The_same_key_twice_in_one_batch_is_begun_once_and_found_held_once()
    {
        await using PostgreSqlWebhookEventStore store = NewStore("begin");
        await CompleteAsync(store, "shop:held");

        ValueTask<WebhookBeginResult> held;
        ValueTask<WebhookBeginResult>[] twice;
        await using (PostgresRowLock rowLock = await PostgresRowLock.TakeAsync(store, "shop:held", Ct))
        {
            held = store.TryBeginAsync("shop:held", Lease, Ct);
            twice = [store.TryBeginAsync("shop:twice", Lease, Ct), store.TryBeginAsync("shop:other", Lease, Ct), store.TryBeginAsync("shop:twice", Lease, Ct)];
        }

        await held;
        WebhookBeginResult[] results = [await twice[0], await twice[1], await twice[2]];
        results[1].Status.ShouldBe(WebhookBeginStatus.Began);
        WebhookBeginResult[] same = [results[0], results[2]];
        same.Select(r => r.Status).Order().ToArray().ShouldBe([WebhookBeginStatus.Began, WebhookBeginStatus.InProgress], "one of the two begins the event, the other finds it in flight");
        WebhookBeginResult began = same.Single(r => r.Status == WebhookBeginStatus.Began);
        same.Single(r => r.Status == WebhookBeginStatus.InProgress).LeaseExpiresAt.ShouldBe(began.LeaseExpiresAt, "held by the lease of the first");
        (await store.CompleteAsync("shop:twice", began.LeaseId, Ct)).ShouldBeTrue();
    }

    [Fact]
    public async Task A_caller_cancelled_while_queued_is_left_out_of_the_batch()
    {
        await using PostgreSqlWebhookEventStore store = NewStore("begin");
        await CompleteAsync(store, "shop:held");
        using CancellationTokenSource queuedCaller = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        ValueTask<WebhookBeginResult> held;
        ValueTask<WebhookBeginResult> x;
        ValueTask<WebhookBeginResult> y;
        await using (PostgresRowLock rowLock = await PostgresRowLock.TakeAsync(store, "shop:held", Ct))
        {
            held = store.TryBeginAsync("shop:held", Lease, Ct);
            x = store.TryBeginAsync("shop:x", Lease, queuedCaller.Token);
            y = store.TryBeginAsync("shop:y", Lease, Ct);
            await queuedCaller.CancelAsync();
            await Should.ThrowAsync<OperationCanceledException>(x.AsTask());
        }

        await held;
        (await y).Status.ShouldBe(WebhookBeginStatus.Began, "the other caller's begin is unaffected");
        (await store.TryBeginAsync("shop:x", Lease, Ct)).Status.ShouldBe(WebhookBeginStatus.Began, "the withdrawn begin never ran: no lease holds the key");
    }

    [Fact]
    public async Task A_failed_batch_fails_each_of_its_callers_and_begins_none_of_them()
    {
        await using PostgreSqlWebhookEventStore store = NewStore("begin");
        await CompleteAsync(store, "shop:held");
        await FailOnKeyAsync(store, "INSERT", "shop:poison", "poisoned begin");

        ValueTask<WebhookBeginResult> held;
        ValueTask<WebhookBeginResult>[] gathered;
        await using (PostgresRowLock rowLock = await PostgresRowLock.TakeAsync(store, "shop:held", Ct))
        {
            held = store.TryBeginAsync("shop:held", Lease, Ct);
            gathered = [.. new[] { "shop:a", "shop:poison", "shop:b" }.Select(key => store.TryBeginAsync(key, Lease, Ct))];
        }

        (await held).Status.ShouldBe(WebhookBeginStatus.Duplicate, "the batch before is not touched by the next one's failure");
        foreach (ValueTask<WebhookBeginResult> caller in gathered)
        {
            (await Should.ThrowAsync<PostgresException>(caller.AsTask())).MessageText.ShouldBe("poisoned begin");
        }

        (await RowsAsync(store, "shop:a", "shop:poison", "shop:b")).ShouldBe(0, "one transaction: nothing of the failed batch was committed");
        (await store.TryBeginAsync("shop:a", Lease, Ct)).Status.ShouldBe(WebhookBeginStatus.Began, "a caller may retry its begin");
    }

    [Fact]
    public async Task A_batch_takes_over_a_lapsed_lease_and_leaves_a_current_one_alone()
    {
        FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));
        await using PostgreSqlWebhookEventStore store = NewStore("begin", clock);
        WebhookBeginResult lapsed = await store.TryBeginAsync("shop:lapsed", TimeSpan.FromMinutes(1), Ct);
        clock.Advance(TimeSpan.FromMinutes(2));
        WebhookBeginResult current = await store.TryBeginAsync("shop:current", Lease, Ct);
        await CompleteAsync(store, "shop:held");

        ValueTask<WebhookBeginResult> held;
        ValueTask<WebhookBeginResult>[] gathered;
        await using (PostgresRowLock rowLock = await PostgresRowLock.TakeAsync(store, "shop:held", Ct))
        {
            held = store.TryBeginAsync("shop:held", Lease, Ct);
            gathered = [store.TryBeginAsync("shop:lapsed", Lease, Ct), store.TryBeginAsync("shop:current", Lease, Ct)];
        }

        await held;
        WebhookBeginResult retaken = await gathered[0];
        retaken.Status.ShouldBe(WebhookBeginStatus.Began, "the first lease lapsed");
        retaken.LeaseId.ShouldNotBe(lapsed.LeaseId);
        retaken.LeaseExpiresAt.ShouldBe(clock.GetUtcNow() + Lease);
        WebhookBeginResult stillHeld = await gathered[1];
        stillHeld.Status.ShouldBe(WebhookBeginStatus.InProgress);
        stillHeld.LeaseExpiresAt.ShouldBe(current.LeaseExpiresAt);
        (await store.CompleteAsync("shop:lapsed", lapsed.LeaseId, Ct)).ShouldBeFalse("the lapsed lease was taken over");
        (await store.CompleteAsync("shop:lapsed", retaken.LeaseId, Ct)).ShouldBeTrue();
    }

    [Fact]
    public async Task Sixty_four_begins_queued_behind_a_batch_in_flight_each_begin_their_own_event_in_one_round_trip()
    {
        await using PostgreSqlWebhookEventStore store = NewStore("begin");
        await CompleteAsync(store, "shop:held");
        string[] keys = [.. Enumerable.Range(1, 64).Select(i => $"shop:evt_{i}")];
        long before = store.Begins.Batches;

        ValueTask<WebhookBeginResult> held;
        ValueTask<WebhookBeginResult>[] begins;
        await using (PostgresRowLock rowLock = await PostgresRowLock.TakeAsync(store, "shop:held", Ct))
        {
            // The first batch is held on the lock while the 64 callers queue behind it (each before its first await).
            held = store.TryBeginAsync("shop:held", Lease, Ct);
            begins = [.. keys.Select(key => store.TryBeginAsync(key, Lease, Ct))];
            held.IsCompleted.ShouldBeFalse();
        }

        await held;
        WebhookBeginResult[] results = await Task.WhenAll(begins.Select(b => b.AsTask()));
        results.ShouldAllBe(r => r.Status == WebhookBeginStatus.Began);
        results.Select(r => r.LeaseId).Distinct().Count().ShouldBe(64);
        (store.Begins.Batches - before).ShouldBe(2, "the held one, then the 64 in one batch (at most 128 to a batch)");
    }

    private static async Task<int> RowsAsync(PostgreSqlWebhookEventStore store, params string[] keys)
    {
        await using NpgsqlConnection connection = new(PostgresDatabase.RequireConnectionString() + ";Pooling=false");
        await connection.OpenAsync(Ct);
        await using NpgsqlCommand read = new($"SELECT count(*)::int FROM {store.TableName} WHERE key = ANY($1)", connection);
        read.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = keys });
        return (int)(await read.ExecuteScalarAsync(Ct))!;
    }

    private static async Task CompleteAsync(PostgreSqlWebhookEventStore store, string key, string? paymentKey = null, long sequence = 0)
    {
        WebhookBeginResult begun = await store.TryBeginAsync(key, Lease, Ct);
        begun.Status.ShouldBe(WebhookBeginStatus.Began);
        (paymentKey is null
            ? await store.CompleteAsync(key, begun.LeaseId, Ct)
            : await store.CompleteAsync(key, begun.LeaseId, paymentKey, sequence, Ct)).ShouldBeTrue();
    }
}
