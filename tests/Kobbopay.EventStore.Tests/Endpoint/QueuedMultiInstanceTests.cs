using System.Collections.Concurrent;

namespace Kobbopay.EventStore.Tests.Endpoint;

/// <summary>Queued processing on four app instances (in process, each its own host, worker and Kestrel) sharing one PostgreSQL inbox.</summary>
public sealed class QueuedMultiInstanceTests(PostgresSchemaFixture schema) : IClassFixture<PostgresSchemaFixture>
{
    private const int Events = 1_000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Four_instances_sharing_an_inbox_of_1000_events_run_the_handler_1000_times_once_each()
    {
        string connection = PostgresDatabase.RequireConnectionString();
        string table = schema.NextTable("queued");
        WebhookApp.HandlerLog log = new() { Expected = Events };
        WebhookApp[] apps = new WebhookApp[4];
        for (int i = 0; i < apps.Length; i++)
        {
            apps[i] = await WebhookApp.StartAsync(
                s => s.AddKobbopayPostgreSqlEventStore(o =>
                {
                    o.ConnectionString = connection;
                    o.Schema = schema.Schema;
                    o.TableName = table;
                    o.PurgeInterval = TimeSpan.Zero;
                }),
                log,
                webhooks: w => w.UseQueuedProcessing(o => o.BatchSize = 16));
        }

        ConcurrentBag<string> answers = [];
        try
        {
            // Every event delivered twice, to two different instances, in a shuffled order.
            (string Event, int Instance)[] deliveries = [.. Enumerable.Range(0, Events).SelectMany(e => new[] { ($"evt_{e:D4}", e % 4), ($"evt_{e:D4}", (e + 1) % 4) })];
            Random.Shared.Shuffle(deliveries);
            using HttpClient http = new();
            await Parallel.ForEachAsync(deliveries, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = Ct }, async (d, ct) =>
            {
                using HttpRequestMessage request = WebhookApp.Delivery(apps[d.Instance].Url, WebhookApp.EventBody(d.Event), d.Event);
                using HttpResponseMessage response = await http.SendAsync(request, ct);
                answers.Add($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
            });

            await log.AllRan.Task.WaitAsync(TimeSpan.FromMinutes(2), Ct);
        }
        finally
        {
            // Stopped (workers drained) before counting, so a late second run would be counted too.
            foreach (WebhookApp app in apps)
            {
                await app.DisposeAsync();
            }
        }

        log.Runs.Count.ShouldBe(Events);
        log.Runs.Values.Sum().ShouldBe(Events, "1,000 handler runs in all");
        log.Runs.Values.ShouldAllBe(n => n == 1);
        answers.Count(a => a == """200 {"status":"queued"}""").ShouldBe(Events);
        answers.Count(a => a == """200 {"status":"duplicate"}""").ShouldBe(Events);
    }
}
