using System.Collections.Concurrent;

namespace Kobbopay.Webhooks.Tests.Conformance;

/// <summary>
/// The behaviour every <see cref="IWebhookEventStore"/> must have, written once. A store's tests derive from this class
/// and say how to create a store; the in-memory, SQLite and PostgreSQL stores each do.
/// </summary>
/// <remarks>
/// Each test creates its own store through <see cref="CreateStoreAsync"/>, which must return an empty store that reads
/// time from the clock it is given. Stores that are <see cref="IAsyncDisposable"/> or <see cref="IDisposable"/> are
/// disposed after the test.
/// </remarks>
public abstract class WebhookEventStoreConformanceTests : IAsyncDisposable
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    private readonly List<IWebhookEventStore> _stores = [];

    /// <summary>Gets the clock the stores read.</summary>
    protected FakeTimeProvider Clock { get; } = new();

    /// <summary>Gets the test's cancellation token.</summary>
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TryBegin_on_a_new_key_begins_with_a_lease()
    {
        IWebhookEventStore store = await NewStoreAsync();

        WebhookBeginResult result = await store.TryBeginAsync("evt_1", Lease, Ct);

        result.Status.ShouldBe(WebhookBeginStatus.Began);
        result.LeaseId.ShouldNotBe(Guid.Empty);
        result.LeaseExpiresAt.ShouldBe(Clock.GetUtcNow() + Lease);
    }

    [Fact]
    public async Task TryBegin_while_the_lease_is_live_is_InProgress()
    {
        (IWebhookEventStore store, WebhookBeginResult first) = await NewStoreWithALeaseAsync("evt_1");

        Clock.Advance(Lease - TimeSpan.FromSeconds(1));
        WebhookBeginResult second = await store.TryBeginAsync("evt_1", Lease, Ct);

        second.Status.ShouldBe(WebhookBeginStatus.InProgress);
        second.LeaseId.ShouldNotBe(first.LeaseId);
    }

    [Fact]
    public async Task Complete_with_the_lease_marks_the_key_done_and_later_begins_are_Duplicate()
    {
        (IWebhookEventStore store, WebhookBeginResult begun) = await NewStoreWithALeaseAsync("evt_1");

        (await store.CompleteAsync("evt_1", begun.LeaseId, Ct)).ShouldBeTrue();

        (await BeginStatusAsync(store, "evt_1")).ShouldBe(WebhookBeginStatus.Duplicate);
        Clock.Advance(TimeSpan.FromDays(2));
        (await BeginStatusAsync(store, "evt_1")).ShouldBe(WebhookBeginStatus.Duplicate);
    }

    [Fact]
    public async Task Complete_with_another_lease_id_is_refused()
    {
        IWebhookEventStore store = await NewStoreAsync();
        await store.TryBeginAsync("evt_1", Lease, Ct);

        (await store.CompleteAsync("evt_1", Guid.NewGuid(), Ct)).ShouldBeFalse();

        (await BeginStatusAsync(store, "evt_1")).ShouldBe(WebhookBeginStatus.InProgress);
    }

    [Fact]
    public async Task Complete_or_Abandon_of_an_unknown_key_is_refused()
    {
        IWebhookEventStore store = await NewStoreAsync();

        (await store.CompleteAsync("evt_unknown", Guid.NewGuid(), Ct)).ShouldBeFalse();
        (await store.AbandonAsync("evt_unknown", Guid.NewGuid(), Ct)).ShouldBeFalse();
        (await BeginStatusAsync(store, "evt_unknown")).ShouldBe(WebhookBeginStatus.Began);
    }

    [Fact]
    public async Task Abandon_releases_the_key_so_the_next_begin_begins_again_with_a_new_lease()
    {
        (IWebhookEventStore store, WebhookBeginResult first) = await NewStoreWithALeaseAsync("evt_1");

        (await store.AbandonAsync("evt_1", first.LeaseId, Ct)).ShouldBeTrue();
        WebhookBeginResult again = await store.TryBeginAsync("evt_1", Lease, Ct);

        again.Status.ShouldBe(WebhookBeginStatus.Began);
        again.LeaseId.ShouldNotBe(first.LeaseId);
        (await store.CompleteAsync("evt_1", first.LeaseId, Ct)).ShouldBeFalse();
        (await store.CompleteAsync("evt_1", again.LeaseId, Ct)).ShouldBeTrue();
        (await BeginStatusAsync(store, "evt_1")).ShouldBe(WebhookBeginStatus.Duplicate);
    }

    [Fact]
    public async Task Abandon_with_another_lease_id_is_refused_and_keeps_the_lease()
    {
        (IWebhookEventStore store, WebhookBeginResult begun) = await NewStoreWithALeaseAsync("evt_1");

        (await store.AbandonAsync("evt_1", Guid.NewGuid(), Ct)).ShouldBeFalse();

        (await BeginStatusAsync(store, "evt_1")).ShouldBe(WebhookBeginStatus.InProgress);
        (await store.CompleteAsync("evt_1", begun.LeaseId, Ct)).ShouldBeTrue();
    }

    [Fact]
    public async Task Abandon_after_complete_is_refused_and_the_key_stays_done()
    {
        (IWebhookEventStore store, WebhookBeginResult begun) = await NewStoreWithALeaseAsync("evt_1");
        (await store.CompleteAsync("evt_1", begun.LeaseId, Ct)).ShouldBeTrue();

        (await store.AbandonAsync("evt_1", begun.LeaseId, Ct)).ShouldBeFalse();

        (await BeginStatusAsync(store, "evt_1")).ShouldBe(WebhookBeginStatus.Duplicate);
    }

    [Fact]
    public async Task Expired_lease_is_taken_over_with_a_new_lease_and_the_old_lease_can_no_longer_complete()
    {
        (IWebhookEventStore store, WebhookBeginResult first) = await NewStoreWithALeaseAsync("evt_1");

        Clock.Advance(Lease + TimeSpan.FromSeconds(1));
        WebhookBeginResult takeover = await store.TryBeginAsync("evt_1", Lease, Ct);

        takeover.Status.ShouldBe(WebhookBeginStatus.Began);
        takeover.LeaseId.ShouldNotBe(Guid.Empty);
        takeover.LeaseId.ShouldNotBe(first.LeaseId);
        takeover.LeaseExpiresAt.ShouldBe(Clock.GetUtcNow() + Lease);
        (await store.CompleteAsync("evt_1", first.LeaseId, Ct)).ShouldBeFalse();
        (await store.AbandonAsync("evt_1", first.LeaseId, Ct)).ShouldBeFalse();
        (await BeginStatusAsync(store, "evt_1")).ShouldBe(WebhookBeginStatus.InProgress);
        (await store.CompleteAsync("evt_1", takeover.LeaseId, Ct)).ShouldBeTrue();
        (await BeginStatusAsync(store, "evt_1")).ShouldBe(WebhookBeginStatus.Duplicate);
    }

    [Fact]
    public async Task Lease_length_is_the_one_asked_for()
    {
        IWebhookEventStore store = await NewStoreAsync();
        WebhookBeginResult begun = await store.TryBeginAsync("evt_1", TimeSpan.FromMinutes(10), Ct);
        begun.LeaseExpiresAt.ShouldBe(Clock.GetUtcNow() + TimeSpan.FromMinutes(10));

        Clock.Advance(TimeSpan.FromMinutes(9));
        (await BeginStatusAsync(store, "evt_1")).ShouldBe(WebhookBeginStatus.InProgress);

        Clock.Advance(TimeSpan.FromMinutes(2));
        (await BeginStatusAsync(store, "evt_1")).ShouldBe(WebhookBeginStatus.Began);
    }

    [Fact]
    public async Task Purge_removes_only_completed_records_older_than_the_cutoff()
    {
        IWebhookEventStore store = await NewStoreAsync();
        DateTimeOffset start = Clock.GetUtcNow();
        WebhookBeginResult old = await store.TryBeginAsync("evt_old", Lease, Ct);
        (await store.CompleteAsync("evt_old", old.LeaseId, Ct)).ShouldBeTrue();
        await store.TryBeginAsync("evt_in_progress", TimeSpan.FromDays(1), Ct);

        Clock.Advance(TimeSpan.FromHours(1));
        WebhookBeginResult recent = await store.TryBeginAsync("evt_recent", Lease, Ct);
        (await store.CompleteAsync("evt_recent", recent.LeaseId, Ct)).ShouldBeTrue();

        int purged = await store.PurgeAsync(start + TimeSpan.FromMinutes(30), Ct);

        purged.ShouldBe(1);
        (await BeginStatusAsync(store, "evt_recent")).ShouldBe(WebhookBeginStatus.Duplicate);
        (await BeginStatusAsync(store, "evt_in_progress")).ShouldBe(WebhookBeginStatus.InProgress);
        (await BeginStatusAsync(store, "evt_old")).ShouldBe(WebhookBeginStatus.Began);
    }

    [Fact]
    public async Task Purge_keeps_in_progress_records_however_old_they_are()
    {
        IWebhookEventStore store = await NewStoreAsync();
        await store.TryBeginAsync("evt_stuck", TimeSpan.FromDays(30), Ct);
        Clock.Advance(TimeSpan.FromDays(10));

        (await store.PurgeAsync(Clock.GetUtcNow(), Ct)).ShouldBe(0);

        (await BeginStatusAsync(store, "evt_stuck")).ShouldBe(WebhookBeginStatus.InProgress);
    }

    [Fact]
    public async Task Purge_of_an_empty_store_removes_nothing()
    {
        IWebhookEventStore store = await NewStoreAsync();

        (await store.PurgeAsync(Clock.GetUtcNow() + TimeSpan.FromDays(1), Ct)).ShouldBe(0);
    }

    [Fact]
    public async Task Keys_are_independent()
    {
        IWebhookEventStore store = await NewStoreAsync();
        WebhookBeginResult a = await store.TryBeginAsync("default:evt_a", Lease, Ct);
        WebhookBeginResult b = await store.TryBeginAsync("default:evt_b", Lease, Ct);
        WebhookBeginResult otherPrefix = await store.TryBeginAsync("shop2:evt_a", Lease, Ct);

        a.Status.ShouldBe(WebhookBeginStatus.Began);
        b.Status.ShouldBe(WebhookBeginStatus.Began);
        otherPrefix.Status.ShouldBe(WebhookBeginStatus.Began);

        (await store.CompleteAsync("default:evt_a", a.LeaseId, Ct)).ShouldBeTrue();
        (await store.CompleteAsync("default:evt_b", a.LeaseId, Ct)).ShouldBeFalse();
        (await store.AbandonAsync("shop2:evt_a", otherPrefix.LeaseId, Ct)).ShouldBeTrue();

        (await BeginStatusAsync(store, "default:evt_a")).ShouldBe(WebhookBeginStatus.Duplicate);
        (await BeginStatusAsync(store, "default:evt_b")).ShouldBe(WebhookBeginStatus.InProgress);
        (await BeginStatusAsync(store, "shop2:evt_a")).ShouldBe(WebhookBeginStatus.Began);
    }

    [Fact]
    public async Task Keys_are_compared_exactly()
    {
        IWebhookEventStore store = await NewStoreAsync();
        await store.TryBeginAsync("evt_Case", Lease, Ct);

        (await BeginStatusAsync(store, "evt_case")).ShouldBe(WebhookBeginStatus.Began);
        (await BeginStatusAsync(store, "evt_Case ")).ShouldBe(WebhookBeginStatus.Began);
        (await BeginStatusAsync(store, "pay_1:payment.paid:2")).ShouldBe(WebhookBeginStatus.Began);
    }

    [Fact]
    public async Task Concurrent_begins_of_the_same_key_begin_exactly_once()
    {
        const int Keys = 1_000;
        const int Contenders = 10;
        IWebhookEventStore store = await NewStoreAsync();
        string[] keys = [.. Enumerable.Range(0, Keys).Select(i => $"evt_concurrent_{i}")];
        ConcurrentDictionary<string, int> began = new();
        ConcurrentDictionary<WebhookBeginStatus, int> statuses = new();
        TaskCompletionSource start = new(TaskCreationOptions.RunContinuationsAsynchronously);

        Task[] contenders = [.. Enumerable.Range(0, Contenders).Select(c => Task.Run(
            async () =>
            {
                string[] order = [.. keys];
                new Random(c).Shuffle(order); // each contender walks the keys in its own order
                await start.Task;
                foreach (string key in order)
                {
                    WebhookBeginResult result = await store.TryBeginAsync(key, Lease, Ct);
                    statuses.AddOrUpdate(result.Status, 1, (_, n) => n + 1);
                    if (result.Status == WebhookBeginStatus.Began)
                    {
                        began.AddOrUpdate(key, 1, (_, n) => n + 1);
                    }
                }
            },
            Ct))];
        start.SetResult();
        await Task.WhenAll(contenders);

        began.Count.ShouldBe(Keys);
        began.Where(kv => kv.Value != 1).Select(kv => kv.Key).ShouldBeEmpty("keys begun more than once");
        statuses.GetValueOrDefault(WebhookBeginStatus.Began).ShouldBe(Keys);
        statuses.GetValueOrDefault(WebhookBeginStatus.InProgress).ShouldBe(Keys * (Contenders - 1));
    }

    [Fact]
    public async Task Concurrent_takeovers_of_an_expired_lease_begin_exactly_once()
    {
        IWebhookEventStore store = await NewStoreAsync();
        await store.TryBeginAsync("evt_1", Lease, Ct);
        Clock.Advance(Lease + TimeSpan.FromSeconds(1));

        WebhookBeginResult[] results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => store.TryBeginAsync("evt_1", Lease, Ct).AsTask(), Ct)));

        results.Count(r => r.Status == WebhookBeginStatus.Began).ShouldBe(1);
        results.Count(r => r.Status == WebhookBeginStatus.InProgress).ShouldBe(15);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        foreach (IWebhookEventStore store in _stores)
        {
            switch (store)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync();
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Creates an empty store that reads time from <paramref name="clock"/>.</summary>
    /// <param name="clock">The test's clock.</param>
    /// <returns>The store.</returns>
    [Fact]
    public async Task Handled_sequence_is_a_maximum_that_a_late_writer_never_lowers()
    {
        IWebhookSequenceStore store = (IWebhookSequenceStore)await NewStoreAsync();

        (await store.GetHandledSequenceAsync("shop:pay_1", Ct)).ShouldBeNull();
        await store.RecordHandledSequenceAsync("shop:pay_1", 3, Ct);
        await store.RecordHandledSequenceAsync("shop:pay_1", 2, Ct);
        await store.RecordHandledSequenceAsync("shop:pay_2", 1, Ct);

        (await store.GetHandledSequenceAsync("shop:pay_1", Ct)).ShouldBe(3);
        (await store.GetHandledSequenceAsync("shop:pay_2", Ct)).ShouldBe(1);
        (await store.GetHandledSequenceAsync("other:pay_1", Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task Concurrent_writers_of_a_payment_keep_the_highest_sequence()
    {
        IWebhookSequenceStore store = (IWebhookSequenceStore)await NewStoreAsync();
        long[] sequences = [.. Enumerable.Range(1, 64).Select(i => (long)i)];
        new Random(17).Shuffle(sequences);
        TaskCompletionSource start = new(TaskCreationOptions.RunContinuationsAsynchronously);

        Task[] writers = [.. sequences.Select(sequence => Task.Run(
            async () =>
            {
                await start.Task;
                await store.RecordHandledSequenceAsync("shop:pay_1", sequence, Ct);
            },
            Ct))];
        start.SetResult();
        await Task.WhenAll(writers);

        (await store.GetHandledSequenceAsync("shop:pay_1", Ct)).ShouldBe(64);
    }

    [Fact]
    public async Task Complete_with_a_sequence_completes_the_event_and_raises_the_sequence()
    {
        (IWebhookEventStore events, WebhookBeginResult begun) = await NewStoreWithALeaseAsync("shop:evt_1");
        IWebhookSequenceStore store = (IWebhookSequenceStore)events;
        await store.RecordHandledSequenceAsync("shop:pay_1", 5, Ct);

        (await store.CompleteAsync("shop:evt_1", begun.LeaseId, "shop:pay_1", 4, Ct)).ShouldBeTrue();
        (await store.GetHandledSequenceAsync("shop:pay_1", Ct)).ShouldBe(5, "a lower sequence never lowers it");
        (await BeginStatusAsync(store, "shop:evt_1")).ShouldBe(WebhookBeginStatus.Duplicate);

        WebhookBeginResult next = await store.TryBeginAsync("shop:evt_2", Lease, Ct);
        (await store.CompleteAsync("shop:evt_2", next.LeaseId, "shop:pay_1", 6, Ct)).ShouldBeTrue();
        (await store.GetHandledSequenceAsync("shop:pay_1", Ct)).ShouldBe(6);
        (await store.CompleteAsync("shop:evt_2", next.LeaseId, "shop:pay_1", 7, Ct)).ShouldBeFalse("the event is completed already");
    }

    [Fact]
    public async Task Begin_with_a_payment_key_reads_the_payments_highest_handled_sequence_only_when_it_begins()
    {
        IWebhookSequenceStore store = (IWebhookSequenceStore)await NewStoreAsync();
        await store.RecordHandledSequenceAsync("shop:pay_1", 3, Ct);

        WebhookBeginResult first = await store.TryBeginAsync("shop:evt_1", Lease, "shop:pay_1", Ct);
        first.Status.ShouldBe(WebhookBeginStatus.Began);
        first.HandledSequence.ShouldBe(3);
        WebhookBeginResult none = await store.TryBeginAsync("shop:evt_2", Lease, "shop:pay_2", Ct);
        none.Status.ShouldBe(WebhookBeginStatus.Began);
        none.HandledSequence.ShouldBeNull("no sequence is recorded for pay_2");
        (await store.TryBeginAsync("shop:evt_1", Lease, "shop:pay_1", Ct)).ShouldBe(new WebhookBeginResult(WebhookBeginStatus.InProgress, Guid.Empty, first.LeaseExpiresAt), "held: nothing read");

        (await store.CompleteAsync("shop:evt_1", first.LeaseId, "shop:pay_1", 4, Ct)).ShouldBeTrue();
        (await store.TryBeginAsync("shop:evt_3", Lease, "shop:pay_1", Ct)).HandledSequence.ShouldBe(4, "the raise by the complete");
        (await store.TryBeginAsync("shop:evt_1", Lease, "shop:pay_1", Ct)).ShouldBe(new WebhookBeginResult(WebhookBeginStatus.Duplicate, Guid.Empty, null), "completed: nothing read");
    }

    protected abstract Task<IWebhookEventStore> CreateStoreAsync(FakeTimeProvider clock);

    /// <summary>Creates a store and begins <paramref name="key"/> in it with the default lease.</summary>
    private async Task<(IWebhookEventStore Store, WebhookBeginResult Begun)> NewStoreWithALeaseAsync(string key)
    {
        IWebhookEventStore store = await NewStoreAsync();
        return (store, await store.TryBeginAsync(key, Lease, Ct));
    }

    /// <summary>Tries to begin <paramref name="key"/> with the default lease and gives the status: what the store says of the key now.</summary>
    private static async Task<WebhookBeginStatus> BeginStatusAsync(IWebhookEventStore store, string key) =>
        (await store.TryBeginAsync(key, Lease, Ct)).Status;

    private async Task<IWebhookEventStore> NewStoreAsync()
    {
        IWebhookEventStore store = await CreateStoreAsync(Clock);
        _stores.Add(store);
        return store;
    }
}
