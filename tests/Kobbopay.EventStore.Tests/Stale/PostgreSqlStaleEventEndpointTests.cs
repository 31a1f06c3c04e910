namespace Kobbopay.EventStore.Tests.Stale;

/// <summary>The stale-event endpoint tests on a real PostgreSQL server (KOBBOPAY_POSTGRES): a restart is a new app on the same table.</summary>
public sealed class PostgreSqlStaleEventEndpointTests(PostgresSchemaFixture schema) : StaleEventEndpointTests, IClassFixture<PostgresSchemaFixture>
{
    protected override Action<IServiceCollection> NewStore()
    {
        string connection = PostgresDatabase.RequireConnectionString();
        string table = schema.NextTable("stale");
        return services => services.AddKobbopayPostgreSqlEventStore(o =>
        {
            o.ConnectionString = connection;
            o.Schema = schema.Schema;
            o.TableName = table;
            o.PurgeInterval = TimeSpan.Zero;
        });
    }
}
