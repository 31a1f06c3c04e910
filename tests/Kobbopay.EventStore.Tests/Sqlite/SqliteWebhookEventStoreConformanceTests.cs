using Kobbopay.EventStore.Sqlite;
using Kobbopay.EventStore.Tests.TestSupport;
using Kobbopay.Webhooks;
using Kobbopay.Webhooks.Tests.Conformance;
using Microsoft.Extensions.Time.Testing;

namespace Kobbopay.EventStore.Tests.Sqlite;

/// <summary>The shared store behaviour, on a real SQLite file (WAL) per test.</summary>
public sealed class SqliteWebhookEventStoreConformanceTests(TempDirectory directory) : WebhookEventStoreConformanceTests, IClassFixture<TempDirectory>
{
    protected override Task<IWebhookEventStore> CreateStoreAsync(FakeTimeProvider clock) =>
        Task.FromResult<IWebhookEventStore>(new SqliteWebhookEventStore(
            new SqliteWebhookEventStoreOptions { ConnectionString = $"Data Source={directory.NextFile()}", PurgeInterval = TimeSpan.Zero },
            clock));
}
