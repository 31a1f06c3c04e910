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
        var perWorker = await CreateOriginalsAsync(sim);
        var originals = perWorker.SelectMany(ids => ids).ToHashSet();

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Sim.Ct);
        var background = CreateUntilStoppedAsync(sim.Api, stop.Token);
        var (payments, _) = await Pages.ReadAllAsync(sim.Api, "v1/payments", limit: 100);
        List<string> listed = [.. payments.Select(p => p.Str("id")!)];

        await stop.CancelAsync();
        var extras = await background;

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
        var perWorker = await CreateOriginalsAsync(sim);
        var originals = perWorker.SelectMany(ids => ids).ToHashSet();

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Sim.Ct);
        var background = CreateUntilStoppedAsync(sim.Api, stop.Token);
        var (events, _) = await Pages.ReadAllAsync(sim.Api, "v1/events", limit: 100, async pages =>
        {
            if (pages == 10)
            {
                // The originals fill the first ten pages; stop the writer so the export can reach its end.
                await stop.CancelAsync();
                await background;
            }
        });
        List<(string EventId, string PaymentId, string Type)> exported = [.. events.Select(e => (e.Str("id")!, e.Str("paymentId")!, e.Str("type")!))];

        await stop.CancelAsync();
        var extras = await background;

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
