using Kobbopay.Webhooks.Tests.Conformance;

namespace Kobbopay.Webhooks.Tests.Inbox;

public sealed class InMemoryWebhookInboxConformanceTests : WebhookInboxConformanceTests
{
    protected override Task<IWebhookInbox> CreateInboxAsync(FakeTimeProvider clock) =>
        Task.FromResult<IWebhookInbox>(new InMemoryWebhookInbox(clock));
}
