using System.Collections.Concurrent;

namespace Kobbopay.Simulator.Internal;

/// <summary>
/// Remembers creates by idempotency key, per environment. The first request with a key claims it
/// atomically; concurrent ones see it in flight (409) until it completes, then get its answer
/// replayed. Only successful creates are kept; a failed one releases its key.
/// </summary>
internal sealed class IdempotencyStore(TimeProvider clock, TimeSpan retention)
{
    /// <summary>Forgets every key (for <c>POST /_sim/reset</c>: the payments they pointed to are gone).</summary>
    public void Clear()
    {
        _entries.Clear();
        _completed.Clear();
    }

    private readonly ConcurrentDictionary<(string Environment, string Key), Entry> _entries = new();
    private readonly ConcurrentQueue<(DateTimeOffset CompletedAt, (string, string) Key, Entry Entry)> _completed = new();

    public enum Outcome
    {
        Began,
        Replay,
        InUse,
        Reused,
    }

    public Outcome TryBegin(string environment, string key, string fingerprint, out Entry entry)
    {
        Purge();
        (string, string) id = (environment, key);
        while (true)
        {
            Entry mine = new(fingerprint);
            if (_entries.TryAdd(id, mine))
            {
                entry = mine;
                return Outcome.Began;
            }

            if (!_entries.TryGetValue(id, out Entry? existing))
            {
                continue; // released meanwhile: try to claim it again
            }

            StoredResponse? response = existing.Response;
            if (response is not null && clock.GetUtcNow() - response.CompletedAt >= retention)
            {
                if (_entries.TryUpdate(id, mine, existing))
                {
                    entry = mine;
                    return Outcome.Began;
                }

                continue;
            }

            entry = existing;
            if (!string.Equals(existing.Fingerprint, fingerprint, StringComparison.Ordinal))
            {
                return Outcome.Reused;
            }

            return response is null ? Outcome.InUse : Outcome.Replay;
        }
    }

    public void Complete(string environment, string key, Entry entry, int statusCode, byte[] body)
    {
        DateTimeOffset now = clock.GetUtcNow();
        entry.Response = new StoredResponse(statusCode, body, now);
        _completed.Enqueue((now, (environment, key), entry));
    }

    public void Release(string environment, string key, Entry entry) =>
        _entries.TryRemove(new KeyValuePair<(string, string), Entry>((environment, key), entry));

    private void Purge()
    {
        DateTimeOffset cutoff = clock.GetUtcNow() - retention;
        while (_completed.TryPeek(out var head) && head.CompletedAt <= cutoff && _completed.TryDequeue(out head))
        {
            _entries.TryRemove(new KeyValuePair<(string, string), Entry>(head.Key, head.Entry));
        }
    }

    internal sealed class Entry(string fingerprint)
    {
        public string Fingerprint { get; } = fingerprint;

        public StoredResponse? Response { get => Volatile.Read(ref field); set => Volatile.Write(ref field, value); }
    }

    internal sealed record StoredResponse(int StatusCode, byte[] Body, DateTimeOffset CompletedAt);
}
