namespace Kobbopay.Webhooks.Tests.TestSupport;

/// <summary>An <see cref="IWebhookEventStore"/> that counts calls and throws where told, over a real store.</summary>
internal sealed class FaultyWebhookEventStore(IWebhookEventStore inner) : IWebhookEventStore
{
    private int _begins;
    private int _completes;
    private int _abandons;

    public bool ThrowOnBegin { get; set; }

    public bool ThrowOnComplete { get; set; }

    public bool ThrowOnAbandon { get; set; }

    public int Begins => Volatile.Read(ref _begins);

    public int Completes => Volatile.Read(ref _completes);

    public int Abandons => Volatile.Read(ref _abandons);

    public int Calls => Begins + Completes + Abandons;

    public List<(string Key, TimeSpan Lease)> BeginRequests { get; } = [];

    public ValueTask<WebhookBeginResult> TryBeginAsync(string key, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _begins);
        lock (BeginRequests)
        {
            BeginRequests.Add((key, lease));
        }

        return ThrowOnBegin ? throw Unavailable() : inner.TryBeginAsync(key, lease, cancellationToken);
    }

    public ValueTask<bool> CompleteAsync(string key, Guid leaseId, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _completes);
        return ThrowOnComplete ? throw Unavailable() : inner.CompleteAsync(key, leaseId, cancellationToken);
    }

    public ValueTask<bool> AbandonAsync(string key, Guid leaseId, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _abandons);
        return ThrowOnAbandon ? throw Unavailable() : inner.AbandonAsync(key, leaseId, cancellationToken);
    }

    public ValueTask<int> PurgeAsync(DateTimeOffset completedBefore, CancellationToken cancellationToken = default) =>
        inner.PurgeAsync(completedBefore, cancellationToken);

    private static InvalidOperationException Unavailable() => new("The event store is unavailable (test fault).");
}
