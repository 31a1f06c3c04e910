using Kobbopay.EventStore.Tests.PostgreSql;

namespace Kobbopay.EventStore.Tests.Endpoint;

/// <summary>The database stops mid-run under a webhook app: 503s while it is down, then every event exactly once. Runs alone.</summary>
[Collection(nameof(PostgresOutageCollection))]
public sealed class DatabaseOutageEndpointTests(PostgresSchemaFixture schema) : IClassFixture<PostgresSchemaFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WhileTheDatabaseIsDown_DeliveriesGet503_AndOnceItIsBackEveryEventIsProcessedExactlyOnce()
    {
        if (!PostgresDatabase.ControlAllowed)
        {
            Assert.Skip("Stops and restarts the PostgreSQL server with build/postgres.sh: runs only with KOBBOPAY_REQUIRE_POSTGRES=1 and KOBBOPAY_POSTGRES_CONTROL=1.");
        }

        string connection = PostgresDatabase.RequireConnectionString();
        string table = schema.NextTable("outage_http");
        var log = new WebhookApp.HandlerLog();
        await using var app = await WebhookApp.StartAsync(s => s.AddKobbopayPostgreSqlEventStore(o =>
        {
            o.ConnectionString = connection;
            o.Schema = schema.Schema;
            o.TableName = table;
            o.PurgeInterval = TimeSpan.Zero;
        }), log);
        using var http = new HttpClient();
        string[] events = [.. Enumerable.Range(0, 60).Select(i => $"evt_down_{i:D2}")];

        async Task<int> DeliverAsync(string id)
        {
            using var request = WebhookApp.Delivery(app.Url, WebhookApp.EventBody(id), id);
            using var response = await http.SendAsync(request, Ct);
            return (int)response.StatusCode;
        }

        for (int i = 0; i < 20; i++)
        {
            (await DeliverAsync(events[i])).ShouldBe(200);
        }

        List<int> whileDown = [];
        await PostgresDatabase.ControlAsync("stop", Ct);
        try
        {
            for (int i = 20; i < 40; i++)
            {
                whileDown.Add(await DeliverAsync(events[i]));
            }

            whileDown.Add(await DeliverAsync(events[0])); // even a duplicate cannot be told while the store is down
        }
        finally
        {
            await PostgresDatabase.ControlAsync("start", Ct);
        }

        whileDown.ShouldAllBe(s => s == 503);
        log.Runs.Keys.Intersect(events[20..40]).ShouldBeEmpty("nothing ran while the store could not record it");

        // The gateway retries everything, twice over.
        foreach (string id in events.Concat(events))
        {
            int status = 0;
            for (int attempt = 0; attempt < 20 && status != 200; attempt++)
            {
                status = await DeliverAsync(id); // the pool may need a moment to reconnect: retried as the gateway would
            }

            status.ShouldBe(200, id);
        }

        log.Runs.Count.ShouldBe(events.Length);
        log.Runs.Values.ShouldAllBe(n => n == 1);
    }
}
