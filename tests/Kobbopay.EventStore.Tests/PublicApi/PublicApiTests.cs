using Kobbopay.EventStore.PostgreSql;
using Kobbopay.EventStore.Sqlite;
using Kobbopay.TestUtilities.PublicApi;

namespace Kobbopay.EventStore.Tests.PublicApi;

/// <summary>
/// Guards the public surface of the Kobbopay.EventStore.Sqlite and Kobbopay.EventStore.PostgreSql packages: a change
/// must come with an updated approved file, reviewed with the code (run the tests with <c>KOBBOPAY_APPROVE_API=1</c> to approve).
/// </summary>
public sealed class PublicApiTests
{
    [Fact]
    public void KobbopayEventStoreSqlite_PublicApi_MatchesApprovedFile() =>
        ApprovalFile.Verify(PublicApiText.Of(typeof(SqliteWebhookEventStore).Assembly), "Kobbopay.EventStore.Sqlite");

    [Fact]
    public void KobbopayEventStorePostgreSql_PublicApi_MatchesApprovedFile() =>
        ApprovalFile.Verify(PublicApiText.Of(typeof(PostgreSqlWebhookEventStore).Assembly), "Kobbopay.EventStore.PostgreSql");
}
