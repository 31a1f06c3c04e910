namespace Kobbopay.EventStore.Tests.Stale;

/// <summary>The stale-event endpoint tests on the in-memory store: a "restart" is a new app given the same store instance.</summary>
public sealed class InMemoryStaleEventEndpointTests : StaleEventEndpointTests
{
    protected override Action<IServiceCollection> NewStore()
    {
        InMemoryWebhookEventStore store = new();
        return services => services.AddSingleton<IWebhookEventStore>(store);
    }
}
