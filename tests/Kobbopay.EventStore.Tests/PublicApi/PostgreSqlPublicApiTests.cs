using Kobbopay.EventStore.PostgreSql;
using Kobbopay.TestUtilities.PublicApi;

namespace Kobbopay.EventStore.Tests.PublicApi;

/// <summary>Guards the public surface of the Kobbopay.EventStore.PostgreSql package.</summary>
public sealed class PostgreSqlPublicApiTests() : PublicApiApprovalTests(typeof(PostgreSqlWebhookEventStore).Assembly);
