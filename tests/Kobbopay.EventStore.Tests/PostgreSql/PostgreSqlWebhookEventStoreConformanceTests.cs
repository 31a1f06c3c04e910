using Kobbopay.EventStore.PostgreSql;
using Kobbopay.EventStore.Tests.TestSupport;
using Kobbopay.Webhooks;
using Kobbopay.Webhooks.Tests.Conformance;
using Microsoft.Extensions.Time.Testing;

namespace Kobbopay.EventStore.Tests.PostgreSql;

/// <summary>The shared store behaviour, on a real PostgreSQL server: a table per test in a schema of this class's own.</summary>
public sealed class PostgreSqlWebhookEventStoreConformanceTests(PostgresSchemaFixture schema) : WebhookEventStoreConformanceTests, IClassFixture<PostgresSchemaFixture>
{
    protected override Task<IWebhookEventStore> CreateStoreAsync(FakeTimeProvider clock) =>
        Task.FromResult<IWebhookEventStore>(new PostgreSqlWebhookEventStore(
            new PostgreSqlWebhookEventStoreOptions
            {
                ConnectionString = PostgresDatabase.RequireConnectionString(),
                Schema = schema.Schema,
                TableName = schema.NextTable("conformance"),
                PurgeInterval = TimeSpan.Zero,
            },
            clock));
}
