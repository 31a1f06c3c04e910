namespace Kobbopay.Simulator.Tests;

/// <summary>Cursor paging stays exact while payments and events keep arriving: no duplicates, no gaps.</summary>
public sealed class PaginationConsistencyTests
{
    private const int Originals = 1000;
    private const int Workers = 8;

    [Fact]
    public async Task Payments_PagedWhileCreatesContinue_ListEveryOriginalOnceNewestFirst()
    {
        await using var sim = await SimulatorSession.StartAsync();
        await using var run = await PagingRun.StartAsync(sim);
        var (perWorker, originals) = (run.PerWorker, run.Originals);

        var (payments, _) = await Pages.ReadAllAsync(sim.Api, "v1/payments", limit: 100);
        List<string> listed = [.. payments.Select(p => p.Str("id")!)];
        var extras = await run.StopWriterAsync();

        listed.Count.ShouldBe(listed.Distinct().Count(), "a payment was listed twice");
        originals.Except(listed).ShouldBeEmpty("an original payment was skipped");
        sim.PaymentCount.ShouldBe(Originals + extras.Count);

        // Newest first: anything created while paging is on top (it can only appear on the first page),
        // and each worker's payments, created one after the other, appear in reverse order.
        var firstOriginal = listed.FindIndex(originals.Contains);
        listed.Skip(firstOriginal).ShouldAllBe(id => originals.Contains(id));
        listed.Take(firstOriginal).ShouldAllBe(id => extras.Contains(id));
        var position = listed.Select((id, index) => (id, index)).ToDictionary(x => x.id, x => x.index);
        foreach (var ids in perWorker)
        {
            var positions = ids.Select(id => position[id]).ToList();
            positions.ShouldBe(positions.OrderByDescending(p => p), ignoreOrder: false, "a worker's payments are not newest first");
        }

        var extrasInBackgroundOrder = extras.Where(position.ContainsKey).Select(id => position[id]).ToList();
        extrasInBackgroundOrder.ShouldBe(extrasInBackgroundOrder.OrderByDescending(p => p));
    }

    [Fact]
    public async Task Events_PagedWhileCreatesContinue_ExportEveryOriginalOnceOldestFirst()
    {
        await using var sim = await SimulatorSession.StartAsync();
        await using var run = await PagingRun.StartAsync(sim);
        var (perWorker, originals) = (run.PerWorker, run.Originals);

        // The originals fill the first ten pages; then the writer stops, so the export can reach its end.
        var (events, _) = await Pages.ReadAllAsync(sim.Api, "v1/events", limit: 100, pages => pages == 10 ? run.StopWriterAsync() : Task.CompletedTask);
        List<(string EventId, string PaymentId, string Type)> exported = [.. events.Select(e => (e.Str("id")!, e.Str("paymentId")!, e.Str("type")!))];
        var extras = await run.StopWriterAsync();

        exported.Select(e => e.EventId).Distinct().Count().ShouldBe(exported.Count, "an event was exported twice");
        var created = exported.Where(e => e.Type == "payment.created").Select(e => e.PaymentId).ToList();
        created.Where(originals.Contains).Count().ShouldBe(Originals, "an original's created event is missing or repeated");
        created.Where(extras.Contains).ShouldBe(extras, ignoreOrder: false, "an event created during paging was skipped or reordered");

        // Oldest first: the originals come before anything created while paging, and each worker's in creation order.
        created.Take(Originals).ShouldAllBe(id => originals.Contains(id));
        var position = created.Select((id, index) => (id, index)).ToDictionary(x => x.id, x => x.index);
        foreach (var ids in perWorker)
        {
            var positions = ids.Select(id => position[id]).ToList();
            positions.ShouldBe(positions.Order(), ignoreOrder: false, "a worker's events are not oldest first");
        }
    }

    /// <summary>The originals, created before paging starts, and a writer that keeps creating payments while a test pages.</summary>
    private sealed class PagingRun : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(Sim.Ct);
        private readonly Task<List<string>> _writer;

        private PagingRun(SimulatorSession sim, List<string>[] perWorker)
        {
            PerWorker = perWorker;
            Originals = perWorker.SelectMany(ids => ids).ToHashSet();
            _writer = CreateUntilStoppedAsync(sim.Api, _stop.Token);
        }

        /// <summary>Gets each worker's originals in creation order.</summary>
        public List<string>[] PerWorker { get; }

        public HashSet<string> Originals { get; }

        public static async Task<PagingRun> StartAsync(SimulatorSession sim) => new(sim, await CreateOriginalsAsync(sim));

        /// <summary>Stops the writer (again, if it was stopped already) and returns what it created, in creation order.</summary>
        public async Task<List<string>> StopWriterAsync()
        {
            await _stop.CancelAsync();
            return await _writer;
        }

        public async ValueTask DisposeAsync()
        {
            await StopWriterAsync();
            _stop.Dispose();
        }
    }

    /// <summary>Creates the originals with <see cref="Workers"/> concurrent workers; each worker's ids in creation order.</summary>
    private static async Task<List<string>[]> CreateOriginalsAsync(SimulatorSession sim)
    {
        var next = 0;
        var perWorker = await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(
            async () =>
            {
                List<string> ids = [];
                while (Interlocked.Increment(ref next) <= Originals)
                {
                    ids.Add(await sim.CreatePaymentAsync());
                }

                return ids;
            },
            Sim.Ct)));
        sim.PaymentCount.ShouldBe(Originals);
        return perWorker;
    }

    /// <summary>Creates payments one after the other until stopped; the ids in creation order.</summary>
    private static Task<List<string>> CreateUntilStoppedAsync(HttpClient client, CancellationToken stop) => Task.Run(
        async () =>
        {
            List<string> ids = [];
            while (!stop.IsCancellationRequested && ids.Count < 2000)
            {
                var response = await client.PostJsonAsync(Payments.Path, Payments.Body(), Sim.Ct);
                response.Status.ShouldBe(201, response.Body);
                ids.Add(response.Json.Str("id")!);
            }

            return ids;
        },
        CancellationToken.None);
}
