namespace Kobbopay.Webhooks;

/// <summary>
/// An <see cref="IWebhookInbox"/> in process memory: for development and tests. It forgets every queued event when the
/// process stops, so it does not make an answered delivery durable; use the SQLite or PostgreSQL inbox in production.
/// </summary>
/// <param name="timeProvider">The clock for due times and leases; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
public sealed class InMemoryWebhookInbox(TimeProvider? timeProvider = null) : IWebhookInbox
{
    private readonly TimeProvider _timeProvider = timeProvider ?? TimeProvider.System;
    private readonly Dictionary<string, Row> _rows = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    /// <inheritdoc/>
    public ValueTask<bool> EnqueueAsync(string key, ReadOnlyMemory<byte> body, string? deliveryId, string? parkReason = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        cancellationToken.ThrowIfCancellationRequested();
        DateTimeOffset now = _timeProvider.GetUtcNow();
        lock (_gate)
        {
            if (_rows.ContainsKey(key))
            {
                return ValueTask.FromResult(false);
            }

            _rows.Add(key, new Row(key, body.ToArray(), deliveryId, now)
            {
                State = parkReason is null ? WebhookInboxState.Pending : WebhookInboxState.Parked,
                NextAttemptAt = now,
                LastError = parkReason,
            });
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<WebhookInboxEntry>> ClaimAsync(int maxCount, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        cancellationToken.ThrowIfCancellationRequested();
        DateTimeOffset now = _timeProvider.GetUtcNow();
        lock (_gate)
        {
            List<WebhookInboxEntry> claimed = [];
            foreach (Row row in _rows.Values.Where(r => r.State == WebhookInboxState.Pending && r.NextAttemptAt <= now && r.LeaseExpiresAt <= now).OrderBy(r => r.NextAttemptAt).Take(maxCount).ToList())
            {
                row.LeaseId = Guid.NewGuid();
                row.LeaseExpiresAt = now + lease;
                row.Attempts++;
                claimed.Add(row.ToEntry(row.LeaseId));
            }

            return ValueTask.FromResult<IReadOnlyList<WebhookInboxEntry>>(claimed);
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> CompleteAsync(string key, Guid leaseId, CancellationToken cancellationToken = default) =>
        Settle(key, leaseId, static (row, _, now) =>
        {
            row.State = WebhookInboxState.Completed;
            row.CompletedAt = now;
        }, (DateTimeOffset?)null, null);

    /// <inheritdoc/>
    public ValueTask<bool> FailAsync(string key, Guid leaseId, DateTimeOffset? retryAt, string error, CancellationToken cancellationToken = default) =>
        Settle(key, leaseId, static (row, retry, _) =>
        {
            row.State = retry is null ? WebhookInboxState.Parked : WebhookInboxState.Pending;
            row.NextAttemptAt = retry ?? row.NextAttemptAt;
        }, retryAt, error);

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<WebhookInboxEntry>> ListParkedAsync(int maxCount = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<WebhookInboxEntry>>(
                [.. _rows.Values.Where(r => r.State == WebhookInboxState.Parked).OrderBy(r => r.ReceivedAt).Take(maxCount).Select(r => r.ToEntry(Guid.Empty))]);
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> RequeueAsync(string key, CancellationToken cancellationToken = default)
    {
        DateTimeOffset now = _timeProvider.GetUtcNow();
        lock (_gate)
        {
            if (!_rows.TryGetValue(key, out Row? row) || row.State != WebhookInboxState.Parked)
            {
                return ValueTask.FromResult(false);
            }

            row.State = WebhookInboxState.Pending;
            row.Attempts = 0;
            row.NextAttemptAt = now;
            row.LeaseExpiresAt = DateTimeOffset.MinValue;
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> DiscardAsync(string key, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_rows.TryGetValue(key, out Row? row) && row.State == WebhookInboxState.Parked && _rows.Remove(key));
        }
    }

    /// <inheritdoc/>
    public ValueTask<int> PurgeAsync(DateTimeOffset completedBefore, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            List<string> old = [.. _rows.Values.Where(r => r.CompletedAt < completedBefore).Select(r => r.Key)];
            old.ForEach(key => _rows.Remove(key));
            return ValueTask.FromResult(old.Count);
        }
    }

    private ValueTask<bool> Settle(string key, Guid leaseId, Action<Row, DateTimeOffset?, DateTimeOffset> change, DateTimeOffset? retryAt, string? error)
    {
        DateTimeOffset now = _timeProvider.GetUtcNow();
        lock (_gate)
        {
            if (!_rows.TryGetValue(key, out Row? row) || row.State != WebhookInboxState.Pending || row.LeaseId != leaseId)
            {
                return ValueTask.FromResult(false);
            }

            change(row, retryAt, now);
            row.LastError = error ?? row.LastError;
            row.LeaseId = Guid.Empty;
            row.LeaseExpiresAt = DateTimeOffset.MinValue;
            return ValueTask.FromResult(true);
        }
    }

    private sealed class Row(string key, byte[] body, string? deliveryId, DateTimeOffset receivedAt)
    {
        public string Key { get; } = key;

        public DateTimeOffset ReceivedAt { get; } = receivedAt;

        public WebhookInboxState State { get; set; }

        public int Attempts { get; set; }

        public DateTimeOffset NextAttemptAt { get; set; }

        public Guid LeaseId { get; set; }

        public DateTimeOffset LeaseExpiresAt { get; set; } = DateTimeOffset.MinValue;

        public DateTimeOffset? CompletedAt { get; set; }

        public string? LastError { get; set; }

        public WebhookInboxEntry ToEntry(Guid leaseId) => new(Key, body, deliveryId, State, Attempts, ReceivedAt, NextAttemptAt, leaseId, LastError);
    }
}
