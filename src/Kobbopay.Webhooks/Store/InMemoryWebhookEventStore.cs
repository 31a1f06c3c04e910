namespace Kobbopay.Webhooks;

/// <summary>
/// An <see cref="IWebhookEventStore"/> in process memory: for development, tests and a single
/// instance that may forget on restart. Use a durable store in production. It remembers the highest sequence handled
/// per payment too (<see cref="IWebhookSequenceStore"/>), completing an event and raising its sequence under one lock.
/// </summary>
public sealed class InMemoryWebhookEventStore : IWebhookSequenceStore
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _sequences = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;

    /// <summary>Initializes a new instance of the <see cref="InMemoryWebhookEventStore"/> class.</summary>
    /// <param name="timeProvider">The clock for leases; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    public InMemoryWebhookEventStore(TimeProvider? timeProvider = null) => _timeProvider = timeProvider ?? TimeProvider.System;

    /// <summary>Gets how many events are recorded (in progress or completed).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask<WebhookBeginResult> TryBeginAsync(string key, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(Begin(key, lease));
        }
    }

    /// <inheritdoc/>
    public ValueTask<WebhookBeginResult> TryBeginAsync(string key, TimeSpan lease, string paymentKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentException.ThrowIfNullOrEmpty(paymentKey);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            WebhookBeginResult begin = Begin(key, lease);
            return ValueTask.FromResult(begin.Status == WebhookBeginStatus.Began && _sequences.TryGetValue(paymentKey, out long highest)
                ? begin with { HandledSequence = highest }
                : begin);
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> CompleteAsync(string key, Guid leaseId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(Complete(key, leaseId));
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> CompleteAsync(string key, Guid leaseId, string paymentKey, long sequence, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentException.ThrowIfNullOrEmpty(paymentKey);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            Raise(paymentKey, sequence);
            return ValueTask.FromResult(Complete(key, leaseId));
        }
    }

    /// <inheritdoc/>
    public ValueTask<long?> GetHandledSequenceAsync(string paymentKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(paymentKey);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_sequences.TryGetValue(paymentKey, out long highest) ? highest : (long?)null);
        }
    }

    /// <inheritdoc/>
    public ValueTask RecordHandledSequenceAsync(string paymentKey, long sequence, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(paymentKey);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            Raise(paymentKey, sequence);
        }

        return default;
    }

    /// <inheritdoc/>
    public ValueTask<bool> AbandonAsync(string key, Guid leaseId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out Entry? entry) || entry.LeaseId != leaseId || entry.CompletedAt is not null)
            {
                return ValueTask.FromResult(false);
            }

            _entries.Remove(key);
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public ValueTask<int> PurgeAsync(DateTimeOffset completedBefore, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            List<string> old = [.. _entries.Where(kv => kv.Value.CompletedAt < completedBefore).Select(kv => kv.Key)];
            foreach (string key in old)
            {
                _entries.Remove(key);
            }

            return ValueTask.FromResult(old.Count);
        }
    }

    /// <summary>Begins an event: a new lease unless it is completed or held by a live one. Under the lock.</summary>
    private WebhookBeginResult Begin(string key, TimeSpan lease)
    {
        DateTimeOffset now = _timeProvider.GetUtcNow();
        if (_entries.TryGetValue(key, out Entry? entry))
        {
            if (entry.CompletedAt is not null)
            {
                return new WebhookBeginResult(WebhookBeginStatus.Duplicate, Guid.Empty, null);
            }

            if (entry.LeaseExpiresAt > now)
            {
                return new WebhookBeginResult(WebhookBeginStatus.InProgress, Guid.Empty, entry.LeaseExpiresAt);
            }
        }

        Entry taken = new(Guid.NewGuid(), now + lease, null);
        _entries[key] = taken;
        return new WebhookBeginResult(WebhookBeginStatus.Began, taken.LeaseId, taken.LeaseExpiresAt);
    }

    /// <summary>Completes an event held by <paramref name="leaseId"/>. Under the lock.</summary>
    private bool Complete(string key, Guid leaseId)
    {
        if (!_entries.TryGetValue(key, out Entry? entry) || entry.LeaseId != leaseId || entry.CompletedAt is not null)
        {
            return false;
        }

        _entries[key] = entry with { CompletedAt = _timeProvider.GetUtcNow() };
        return true;
    }

    /// <summary>Raises a payment's highest handled sequence, never lowering it. Under the lock.</summary>
    private void Raise(string paymentKey, long sequence)
    {
        if (!_sequences.TryGetValue(paymentKey, out long highest) || sequence > highest)
        {
            _sequences[paymentKey] = sequence;
        }
    }

    private sealed record Entry(Guid LeaseId, DateTimeOffset LeaseExpiresAt, DateTimeOffset? CompletedAt);
}
