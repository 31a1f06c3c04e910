using System.Collections.Concurrent;

namespace Kobbopay.EventStore.Tests.Durable;

/// <summary>
/// What a durable store owes beyond the conformance suite, written once: several instances (processes) on one database,
/// a process killed mid-handler, and the schema's version checks. The SQLite and PostgreSQL tests derive from it; a
/// "location" is a database file there and a table here.
/// </summary>
/// <typeparam name="TStore">The store.</typeparam>
public abstract class DurableWebhookEventStoreTests<TStore>
    where TStore : class, IWebhookEventStore, IAsyncDisposable
{
    protected static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Gets the clock every store of a test shares.</summary>
    protected FakeTimeProvider Clock { get; } = new();

    [Fact]
    public async Task Four_instances_on_one_database_begin_each_of_1000_events_exactly_once()
    {
        string location = NextLocation();
        TStore[] instances = [.. Enumerable.Range(0, 4).Select(_ => Open(location))]; // like four app instances, each its own connection
        try
        {
            await MigrateAsync(instances[0]);
            ConcurrentDictionary<string, int> began = await ContendAsync(instances, events: 1_000, contenders: 10);

            began.Count.ShouldBe(1_000);
            began.Values.ShouldAllBe(n => n == 1);
        }
        finally
        {
            await DisposeAllAsync(instances);
        }
    }

    [Fact]
    public async Task A_process_killed_mid_handler_leaves_the_event_to_exactly_one_later_delivery()
    {
        string location = NextLocation();
        TStore killed = Open(location);
        WebhookBeginResult lost = await killed.TryBeginAsync("shop:evt_1", TimeSpan.FromSeconds(30), Ct);
        lost.Status.ShouldBe(WebhookBeginStatus.Began);
        await killed.DisposeAsync(); // the process dies: no complete, no abandon

        TStore[] fresh = [Open(location), Open(location)];
        try
        {
            (await fresh[0].TryBeginAsync("shop:evt_1", Lease, Ct)).Status.ShouldBe(WebhookBeginStatus.InProgress);
            Clock.Advance(TimeSpan.FromSeconds(31));

            WebhookBeginResult[] redeliveries = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => fresh[i % 2].TryBeginAsync("shop:evt_1", Lease, Ct).AsTask(), Ct)));

            WebhookBeginResult began = redeliveries.Where(r => r.Status == WebhookBeginStatus.Began).ShouldHaveSingleItem();
            redeliveries.Count(r => r.Status == WebhookBeginStatus.InProgress).ShouldBe(7);
            (await fresh[1].CompleteAsync("shop:evt_1", lost.LeaseId, Ct)).ShouldBeFalse();
            (await fresh[1].CompleteAsync("shop:evt_1", began.LeaseId, Ct)).ShouldBeTrue();
            Clock.Advance(TimeSpan.FromHours(1));
            (await fresh[0].TryBeginAsync("shop:evt_1", Lease, Ct)).Status.ShouldBe(WebhookBeginStatus.Duplicate);
            (await fresh[1].TryBeginAsync("shop:evt_1", Lease, Ct)).Status.ShouldBe(WebhookBeginStatus.Duplicate);
        }
        finally
        {
            await DisposeAllAsync(fresh);
        }
    }

    [Fact]
    public async Task Without_AutoMigrate_the_store_refuses_a_missing_schema_until_MigrateAsync()
    {
        await using TStore store = Open(NextLocation(), autoMigrate: false);

        InvalidOperationException refused = await Should.ThrowAsync<InvalidOperationException>(() => store.TryBeginAsync("shop:evt_1", Lease, Ct).AsTask());
        refused.Message.ShouldContain("MigrateAsync");

        await MigrateAsync(store);
        await MigrateAsync(store); // idempotent
        (await store.TryBeginAsync("shop:evt_1", Lease, Ct)).Status.ShouldBe(WebhookBeginStatus.Began);
    }

    [Fact]
    public async Task A_schema_newer_than_the_package_is_refused()
    {
        string location = NextLocation();
        await using (TStore store = Open(location))
        {
            await MigrateAsync(store);
        }

        await SetSchemaVersionAsync(location, 99);

        await using TStore older = Open(location);
        InvalidOperationException refused = await Should.ThrowAsync<InvalidOperationException>(() => older.TryBeginAsync("shop:evt_1", Lease, Ct).AsTask());
        refused.Message.ShouldContain("schema version 99");
    }

    [Fact]
    public async Task A_version_1_database_is_upgraded_in_place_keeping_its_events_and_gaining_sequences()
    {
        string location = NextLocation();
        await using (TStore store = Open(location))
        {
            await MigrateAsync(store);
            WebhookBeginResult begun = await store.TryBeginAsync("shop:evt_1", Lease, Ct);
            (await store.CompleteAsync("shop:evt_1", begun.LeaseId, Ct)).ShouldBeTrue();
        }

        await DowngradeToVersion1Async(location); // as the previous package left it: no sequences table, version 1

        await using TStore upgraded = Open(location);
        (await upgraded.TryBeginAsync("shop:evt_1", Lease, Ct)).Status.ShouldBe(WebhookBeginStatus.Duplicate);
        IWebhookSequenceStore sequences = (IWebhookSequenceStore)upgraded;
        await sequences.RecordHandledSequenceAsync("shop:pay_1", 3, Ct);
        (await sequences.GetHandledSequenceAsync("shop:pay_1", Ct)).ShouldBe(3);
    }

    /// <summary>Returns a database (a file, or a table) no test used before.</summary>
    protected abstract string NextLocation();

    /// <summary>Opens a store on <paramref name="location"/> on <see cref="Clock"/>, without automatic purging.</summary>
    protected abstract TStore Open(string location, bool autoMigrate = true);

    protected abstract Task MigrateAsync(TStore store);

    /// <summary>Sets the schema version recorded for <paramref name="location"/>, as a newer package would have.</summary>
    protected abstract Task SetSchemaVersionAsync(string location, int version);

    /// <summary>Drops the table of handled sequences of <paramref name="location"/> and records schema version 1, as the previous package left it.</summary>
    protected abstract Task DowngradeToVersion1Async(string location);

    private static async Task DisposeAllAsync(IEnumerable<TStore> stores)
    {
        foreach (TStore store in stores)
        {
            await store.DisposeAsync();
        }
    }

    private static async Task<ConcurrentDictionary<string, int>> ContendAsync(IReadOnlyList<IWebhookEventStore> instances, int events, int contenders)
    {
        string[] keys = [.. Enumerable.Range(0, events).Select(i => $"shop:evt_{i}")];
        ConcurrentDictionary<string, int> began = new();
        TaskCompletionSource start = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Task[] tasks = [.. Enumerable.Range(0, contenders).Select(c => Task.Run(
            async () =>
            {
                IWebhookEventStore store = instances[c % instances.Count]; // contenders spread over the instances
                string[] order = [.. keys];
                new Random(c).Shuffle(order);
                await start.Task;
                foreach (string key in order)
                {
                    WebhookBeginResult result = await store.TryBeginAsync(key, Lease, Ct);
                    if (result.Status == WebhookBeginStatus.Began)
                    {
                        began.AddOrUpdate(key, 1, (_, n) => n + 1);
                    }
                    else
                    {
                        result.Status.ShouldBe(WebhookBeginStatus.InProgress);
                    }
                }
            },
            Ct))];
        start.SetResult();
        await Task.WhenAll(tasks);
        return began;
    }
}
