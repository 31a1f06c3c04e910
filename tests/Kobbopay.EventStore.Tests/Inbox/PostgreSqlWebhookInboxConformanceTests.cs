using Kobbopay.Webhooks.Tests.Conformance;

namespace Kobbopay.EventStore.Tests.Inbox;

/// <summary>The shared inbox behaviour, on a real PostgreSQL server: a table per test in a schema of this class's own.</summary>
public sealed class PostgreSqlWebhookInboxConformanceTests(PostgresSchemaFixture schema) : WebhookInboxConformanceTests, IClassFixture<PostgresSchemaFixture>
{
    protected override Task<IWebhookInbox> CreateInboxAsync(FakeTimeProvider clock) =>
        Task.FromResult<IWebhookInbox>(new PostgreSqlWebhookInbox(
            new PostgreSqlWebhookEventStoreOptions { ConnectionString = PostgresDatabase.RequireConnectionString(), Schema = schema.Schema, TableName = schema.NextTable("inbox") },
            clock));
}
