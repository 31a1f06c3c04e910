namespace Kobbopay.EventStore.Tests.Endpoint;

/// <summary>
/// The PostgreSQL server stops under an app: <c>/health</c> turns Unhealthy (503), and Healthy once it is back. Runs
/// alone, with the other tests that stop the shared server.
/// </summary>
[Collection(nameof(PostgreSql.PostgresOutageCollection))]
public sealed class StoreHealthOutageTests(PostgresSchemaFixture schema) : IClassFixture<PostgresSchemaFixture>
{
    [Fact]
    public async Task StoppingPostgreSql_TurnsTheAppUnhealthy_AndStartingItAgainHealthy()
    {
        PostgresDatabase.RequireControl();
        CancellationToken ct = TestContext.Current.CancellationToken;
        string connection = PostgresDatabase.RequireConnectionString();
        string server = PostgreSqlWebhookEventStoreOptions.DescribeServer(connection);
        await using WebhookApp app = await WebhookApp.StartAsync(s => s.AddKobbopayPostgreSqlEventStore(o => StoreHealthCheckTests.Configure(o, connection, schema.Schema, schema.NextTable("health_outage"))), new WebhookApp.HandlerLog(), health: true);
        (await StoreHealthCheckTests.EventStoreCheckAsync(app)).Status.ShouldBe(200);

        (int Status, string? Description) whileDown;
        await PostgresDatabase.ControlAsync("stop", ct);
        try
        {
            var (status, check) = await StoreHealthCheckTests.EventStoreCheckAsync(app);
            whileDown = (status, check.Str("description"));
        }
        finally
        {
            await PostgresDatabase.ControlAsync("start", ct);
        }

        whileDown.Status.ShouldBe(503);
        whileDown.Description!.ShouldStartWith($"The webhook event store cannot be reached: {server} (");

        int after = 0;
        for (int attempt = 0; attempt < 20 && after != 200; attempt++)
        {
            after = (await StoreHealthCheckTests.EventStoreCheckAsync(app)).Status; // the pool may need a moment to reconnect, as after any outage
        }

        after.ShouldBe(200);
    }
}
