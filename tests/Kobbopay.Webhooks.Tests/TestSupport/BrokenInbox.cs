namespace Kobbopay.Webhooks.Tests.TestSupport;

/// <summary>An inbox whose database is gone: every call throws a <see cref="TimeoutException"/>.</summary>
internal sealed class BrokenInbox : IWebhookInbox
{
    public ValueTask<bool> EnqueueAsync(string key, ReadOnlyMemory<byte> body, string? deliveryId, string? parkReason = null, CancellationToken cancellationToken = default) => throw new TimeoutException();

    public ValueTask<IReadOnlyList<WebhookInboxEntry>> ClaimAsync(int maxCount, TimeSpan lease, CancellationToken cancellationToken = default) => throw new TimeoutException();

    public ValueTask<bool> CompleteAsync(string key, Guid leaseId, CancellationToken cancellationToken = default) => throw new TimeoutException();

    public ValueTask<bool> FailAsync(string key, Guid leaseId, DateTimeOffset? retryAt, string error, CancellationToken cancellationToken = default) => throw new TimeoutException();

    public ValueTask<IReadOnlyList<WebhookInboxEntry>> ListParkedAsync(int maxCount = 100, CancellationToken cancellationToken = default) => throw new TimeoutException();

    public ValueTask<bool> RequeueAsync(string key, CancellationToken cancellationToken = default) => throw new TimeoutException();

    public ValueTask<bool> DiscardAsync(string key, CancellationToken cancellationToken = default) => throw new TimeoutException();

    public ValueTask<int> PurgeAsync(DateTimeOffset completedBefore, CancellationToken cancellationToken = default) => throw new TimeoutException();
}
