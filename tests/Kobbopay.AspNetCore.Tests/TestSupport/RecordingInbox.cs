using System.Threading.Channels;

namespace Kobbopay.AspNetCore.Tests.TestSupport;

/// <summary>An inbox that passes every call on to <see cref="Inner"/> and reports the worker's settlements as they happen, for tests to await.</summary>
public sealed class RecordingInbox(IWebhookInbox inner) : IWebhookInbox
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);
    private readonly Channel<string> _completed = Channel.CreateUnbounded<string>();
    private readonly Channel<(string Key, DateTimeOffset? RetryAt, string Error)> _failed = Channel.CreateUnbounded<(string, DateTimeOffset?, string)>();

    public IWebhookInbox Inner { get; } = inner;

    /// <summary>Waits for the worker's next completion; gives the key.</summary>
    public Task<string> NextCompletedAsync() => _completed.Reader.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(Guard, TestContext.Current.CancellationToken);

    /// <summary>Waits for the worker's next failure; gives the key, the retry time (none when parked) and the error.</summary>
    public Task<(string Key, DateTimeOffset? RetryAt, string Error)> NextFailedAsync() => _failed.Reader.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(Guard, TestContext.Current.CancellationToken);

    public ValueTask<bool> EnqueueAsync(string key, ReadOnlyMemory<byte> body, string? deliveryId, string? parkReason = null, CancellationToken cancellationToken = default) =>
        Inner.EnqueueAsync(key, body, deliveryId, parkReason, cancellationToken);

    public ValueTask<IReadOnlyList<WebhookInboxEntry>> ClaimAsync(int maxCount, TimeSpan lease, CancellationToken cancellationToken = default) =>
        Inner.ClaimAsync(maxCount, lease, cancellationToken);

    public async ValueTask<bool> CompleteAsync(string key, Guid leaseId, CancellationToken cancellationToken = default)
    {
        bool done = await Inner.CompleteAsync(key, leaseId, cancellationToken);
        _completed.Writer.TryWrite(key);
        return done;
    }

    public async ValueTask<bool> FailAsync(string key, Guid leaseId, DateTimeOffset? retryAt, string error, CancellationToken cancellationToken = default)
    {
        bool done = await Inner.FailAsync(key, leaseId, retryAt, error, cancellationToken);
        _failed.Writer.TryWrite((key, retryAt, error));
        return done;
    }

    public ValueTask<IReadOnlyList<WebhookInboxEntry>> ListParkedAsync(int maxCount = 100, CancellationToken cancellationToken = default) => Inner.ListParkedAsync(maxCount, cancellationToken);

    public ValueTask<bool> RequeueAsync(string key, CancellationToken cancellationToken = default) => Inner.RequeueAsync(key, cancellationToken);

    public ValueTask<bool> DiscardAsync(string key, CancellationToken cancellationToken = default) => Inner.DiscardAsync(key, cancellationToken);

    public ValueTask<int> PurgeAsync(DateTimeOffset completedBefore, CancellationToken cancellationToken = default) => Inner.PurgeAsync(completedBefore, cancellationToken);
}
