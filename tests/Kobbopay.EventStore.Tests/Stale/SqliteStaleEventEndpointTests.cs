namespace Kobbopay.EventStore.Tests.Stale;

/// <summary>The stale-event endpoint tests on a real SQLite file: a restart is a new app on the same file.</summary>
public sealed class SqliteStaleEventEndpointTests(TempDirectory directory) : StaleEventEndpointTests, IClassFixture<TempDirectory>
{
    protected override Action<IServiceCollection> NewStore()
    {
        string file = directory.NextFile("stale");
        return services => services.AddKobbopaySqliteEventStore(o =>
        {
            o.ConnectionString = $"Data Source={file}";
            o.PurgeInterval = TimeSpan.Zero;
        });
    }
}
