using Kobbopay.Webhooks.Tests.Conformance;

namespace Kobbopay.EventStore.Tests.Inbox;

/// <summary>The shared inbox behaviour, on a real SQLite file (WAL) per test.</summary>
public sealed class SqliteWebhookInboxConformanceTests(TempDirectory directory) : WebhookInboxConformanceTests, IClassFixture<TempDirectory>
{
    protected override Task<IWebhookInbox> CreateInboxAsync(FakeTimeProvider clock) =>
        Task.FromResult<IWebhookInbox>(new SqliteWebhookInbox(new SqliteWebhookEventStoreOptions { ConnectionString = $"Data Source={directory.NextFile()}" }, clock));
}
