using Kobbopay.Webhooks.Tests.Conformance;
using Microsoft.Extensions.Time.Testing;

namespace Kobbopay.Webhooks.Tests.Store;

public sealed class InMemoryWebhookEventStoreConformanceTests : WebhookEventStoreConformanceTests
{
    [Fact]
    public async Task Count_follows_begins_and_purges()
    {
        InMemoryWebhookEventStore store = new(Clock);
        WebhookBeginResult a = await store.TryBeginAsync("evt_a", TimeSpan.FromMinutes(1), Ct);
        await store.TryBeginAsync("evt_b", TimeSpan.FromMinutes(1), Ct);
        store.Count.ShouldBe(2);

        await store.CompleteAsync("evt_a", a.LeaseId, Ct);
        Clock.Advance(TimeSpan.FromHours(1));
        (await store.PurgeAsync(Clock.GetUtcNow(), Ct)).ShouldBe(1);

        store.Count.ShouldBe(1);
    }

    protected override Task<IWebhookEventStore> CreateStoreAsync(FakeTimeProvider clock) =>
        Task.FromResult<IWebhookEventStore>(new InMemoryWebhookEventStore(clock));
}
