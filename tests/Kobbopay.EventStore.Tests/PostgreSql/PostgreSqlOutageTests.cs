using Kobbopay.EventStore.PostgreSql;
using Kobbopay.EventStore.Tests.TestSupport;
using Kobbopay.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Kobbopay.EventStore.Tests.PostgreSql;

/// <summary>Runs alone, after every parallel test: it stops the shared server.</summary>
[CollectionDefinition(nameof(PostgresOutageCollection), DisableParallelization = true)]
public sealed class PostgresOutageCollection;

[Collection(nameof(PostgresOutageCollection))]
public sealed class PostgreSqlOutageTests(PostgresSchemaFixture schema) : IClassFixture<PostgresSchemaFixture>
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_server_stopped_mid_run_makes_calls_throw_and_after_its_restart_every_event_is_processed_exactly_once()
    {
        if (!PostgresDatabase.ControlAllowed)
        {
            Assert.Skip("Stops and restarts the PostgreSQL server with build/postgres.sh: runs only with KOBBOPAY_REQUIRE_POSTGRES=1 and KOBBOPAY_POSTGRES_CONTROL=1.");
        }

        FakeTimeProvider clock = new();
        FakeLogger<PostgreSqlWebhookEventStore> logger = new();
        await using PostgreSqlWebhookEventStore store = new(
            new PostgreSqlWebhookEventStoreOptions { ConnectionString = PostgresDatabase.RequireConnectionString(), Schema = schema.Schema, TableName = schema.NextTable("outage"), PurgeInterval = TimeSpan.Zero },
            clock,
            logger);
        string[] keys = [.. Enumerable.Range(0, 200).Select(i => $"shop:evt_{i}")];
        Dictionary<string, int> began = [];

        for (int i = 0; i < 100; i++)
        {
            WebhookBeginResult result = await store.TryBeginAsync(keys[i], Lease, Ct);
            result.Status.ShouldBe(WebhookBeginStatus.Began);
            began[keys[i]] = 1;
            (await store.CompleteAsync(keys[i], result.LeaseId, Ct)).ShouldBeTrue();
        }

        WebhookBeginResult held = await store.TryBeginAsync(keys[100], Lease, Ct); // its handler is running when the server stops
        held.Status.ShouldBe(WebhookBeginStatus.Began);
        began[keys[100]] = 1;

        await PostgresDatabase.ControlAsync("stop", Ct);
        try
        {
            for (int i = 101; i < 121; i++)
            {
                (await Should.ThrowAsync<Exception>(() => store.TryBeginAsync(keys[i], Lease, Ct).AsTask())).ShouldBeAssignableTo<NpgsqlException>();
            }

            (await Should.ThrowAsync<Exception>(() => store.CompleteAsync(keys[100], held.LeaseId, Ct).AsTask())).ShouldBeAssignableTo<NpgsqlException>();
            (await Should.ThrowAsync<Exception>(() => store.TryBeginAsync(keys[0], Lease, Ct).AsTask())).ShouldBeAssignableTo<NpgsqlException>(); // never a Duplicate it cannot know
            logger.Collector.GetSnapshot().Where(r => r.Level >= LogLevel.Warning).ShouldHaveSingleItem().Id.Id.ShouldBe(420);
        }
        finally
        {
            await PostgresDatabase.ControlAsync("start", Ct);
        }

        // The gateway redelivers. The server accepts connections again (start waited for it); each pooled connection the
        // restart broke fails one call and is dropped, so a redelivery at once after a failure goes through within the pool's size.
        (await RetryAsync(() => store.CompleteAsync(keys[100], held.LeaseId, Ct))).ShouldBeTrue();
        for (int i = 101; i < keys.Length; i++)
        {
            WebhookBeginResult result = await RetryAsync(() => store.TryBeginAsync(keys[i], Lease, Ct));
            result.Status.ShouldBe(WebhookBeginStatus.Began, keys[i]);
            began[keys[i]] = began.GetValueOrDefault(keys[i]) + 1;
            (await RetryAsync(() => store.CompleteAsync(keys[i], result.LeaseId, Ct))).ShouldBeTrue();
        }

        began.Count.ShouldBe(keys.Length);
        began.Values.ShouldAllBe(n => n == 1);
        foreach (string key in keys)
        {
            (await store.TryBeginAsync(key, Lease, Ct)).Status.ShouldBe(WebhookBeginStatus.Duplicate, key);
        }

        logger.Collector.GetSnapshot().ShouldContain(r => r.Id.Id == 422 && r.Level == LogLevel.Information);
    }

    private static async Task<T> RetryAsync<T>(Func<ValueTask<T>> call)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (NpgsqlException) when (attempt <= PostgresDatabase.MaxPoolSize)
            {
                // A broken pooled connection, now dropped: redeliver.
            }
        }
    }
}
