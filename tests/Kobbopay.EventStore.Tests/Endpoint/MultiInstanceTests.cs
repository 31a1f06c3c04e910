using Kobbopay.EventStore.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Kobbopay.EventStore.Tests.Endpoint;

/// <summary>Webhook app instances behind one PostgreSQL store, over real HTTP: each event handled exactly once.</summary>
public sealed class MultiInstanceTests(PostgresSchemaFixture schema) : IClassFixture<PostgresSchemaFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FourInstances_ThousandEventsTenTimesEach_RunEachHandlerExactlyOnce()
    {
        string connection = PostgresDatabase.RequireConnectionString();
        string table = schema.NextTable("instances");
        var log = new WebhookApp.HandlerLog();
        var apps = new WebhookApp[4];
        for (int i = 0; i < apps.Length; i++)
        {
            apps[i] = await WebhookApp.StartAsync(s => s.AddKobbopayPostgreSqlEventStore(o =>
            {
                o.ConnectionString = connection;
                o.Schema = schema.Schema;
                o.TableName = table;
                o.PurgeInterval = TimeSpan.Zero;
            }), log);
        }

        try
        {
            var deliveries = Enumerable.Range(0, 1000).SelectMany(e => Enumerable.Range(0, 10).Select(copy => (Event: $"evt_{e:D4}", Instance: (e + copy) % apps.Length))).ToArray();
            Random.Shared.Shuffle(deliveries);
            var statuses = new System.Collections.Concurrent.ConcurrentBag<int>();
            using var http = new HttpClient();
            await Parallel.ForEachAsync(deliveries, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = Ct }, async (d, ct) =>
            {
                using var request = WebhookApp.Delivery(apps[d.Instance].Url, WebhookApp.EventBody(d.Event), d.Event);
                using var response = await http.SendAsync(request, ct);
                statuses.Add((int)response.StatusCode);
            });

            log.Runs.Count.ShouldBe(1000);
            log.Runs.Values.ShouldAllBe(n => n == 1);
            statuses.Count.ShouldBe(10_000);
            statuses.ShouldAllBe(s => s == 200 || s == 409, "processed, duplicate, or held by another instance's lease");
        }
        finally
        {
            foreach (var app in apps)
            {
                await app.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task AnInstanceKilledMidHandler_LeavesTheEventToBeProcessedExactlyOnceMore_AfterTheLease()
    {
        string connection = PostgresDatabase.RequireConnectionString();
        string table = schema.NextTable("killed");
        var clock = new FakeTimeProvider();
        void Store(IServiceCollection s) => s.AddKobbopayPostgreSqlEventStore(o =>
        {
            o.ConnectionString = connection;
            o.Schema = schema.Schema;
            o.TableName = table;
            o.PurgeInterval = TimeSpan.Zero;
        });
        var doomedLog = new WebhookApp.HandlerLog { Hang = "evt_crash" };
        var survivorLog = new WebhookApp.HandlerLog();
        var doomed = await WebhookApp.StartAsync(Store, doomedLog, clock);
        await using var survivor = await WebhookApp.StartAsync(Store, survivorLog, clock);
        using var http = new HttpClient();
        byte[] body = WebhookApp.EventBody("evt_crash");

        var first = http.SendAsync(WebhookApp.Delivery(doomed.Url, body, "evt_crash"), Ct);
        await doomedLog.Hung.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await doomed.KillAsync();
        await Should.ThrowAsync<Exception>(first); // the gateway never got an answer

        using (var whileLeased = await http.SendAsync(WebhookApp.Delivery(survivor.Url, body, "evt_crash"), Ct))
        {
            ((int)whileLeased.StatusCode).ShouldBe(409, "the dead instance's lease has not lapsed yet");
        }

        clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        using (var redelivered = await http.SendAsync(WebhookApp.Delivery(survivor.Url, body, "evt_crash"), Ct))
        {
            ((int)redelivered.StatusCode).ShouldBe(200);
        }

        for (int i = 0; i < 3; i++)
        {
            using var again = await http.SendAsync(WebhookApp.Delivery(survivor.Url, body, "evt_crash"), Ct);
            ((int)again.StatusCode).ShouldBe(200);
        }

        doomedLog.Runs["evt_crash"].ShouldBe(1);
        survivorLog.Runs["evt_crash"].ShouldBe(1, "processed exactly once more, then only duplicates");
        doomedLog.Never.TrySetResult();
        await doomed.DisposeAsync();
    }
}
