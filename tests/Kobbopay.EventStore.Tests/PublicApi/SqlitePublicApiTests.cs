using Kobbopay.EventStore.Sqlite;
using Kobbopay.TestUtilities.PublicApi;

namespace Kobbopay.EventStore.Tests.PublicApi;

/// <summary>Guards the public surface of the Kobbopay.EventStore.Sqlite package.</summary>
public sealed class SqlitePublicApiTests() : PublicApiApprovalTests(typeof(SqliteWebhookEventStore).Assembly);
