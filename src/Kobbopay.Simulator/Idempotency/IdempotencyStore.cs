using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Kobbopay.Simulator.Internal;

/// <summary>
/// Remembers creates by idempotency key, per environment. The first request with a key claims it
/// atomically; concurrent ones see it in flight (409) until it completes, then get its answer
/// replayed. Only successful creates are kept; a failed one releases its key.
/// </summary>
/// <remarks>
/// An entry is small on purpose (the simulator keeps one per keyed create for the whole retention): the request's
/// fingerprint as a 128-bit hash, and the payment the create made rather than the bytes it answered. The answer is
/// rendered again from <see cref="PaymentRecord.ToCreatedDto"/>, which is built only from what creation fixed, so a
/// replay is byte for byte the first answer however the payment changed since.
/// </remarks>
internal sealed class IdempotencyStore(TimeProvider clock, TimeSpan retention)
{
    private readonly ConcurrentDictionary<(string Environment, string Key), Entry> _entries = new();
    private readonly ConcurrentQueue<Entry> _completed = new();

    public enum Outcome
    {
        Began,
        Replay,
        InUse,
        Reused,
    }

    /// <summary>Forgets every key (for <c>POST /_sim/reset</c>: the payments they pointed to are gone).</summary>
    public void Clear()
    {
        _entries.Clear();
        _completed.Clear();
    }

    /// <summary>Claims <paramref name="key"/> for a create, or says why not.</summary>
    /// <param name="environment">The environment's name.</param>
    /// <param name="key">The <c>Idempotency-Key</c>.</param>
    /// <param name="fingerprint">The request's canonical form (<see cref="ParsedCreate.Fingerprint"/>).</param>
    /// <param name="entry">The claimed entry (<see cref="Outcome.Began"/>) or the existing one.</param>
    /// <returns>What to answer.</returns>
    public Outcome TryBegin(string environment, string key, string fingerprint, out Entry entry)
    {
        Purge();
        (string, string) id = (environment, key);
        UInt128 hash = Hash(fingerprint);
        while (true)
        {
            Entry mine = new(environment, key, hash);
            if (_entries.TryAdd(id, mine))
            {
                entry = mine;
                return Outcome.Began;
            }

            if (!_entries.TryGetValue(id, out Entry? existing))
            {
                continue; // released meanwhile: try to claim it again
            }

            PaymentRecord? payment = existing.Payment;
            if (payment is not null && clock.GetUtcNow() - existing.CompletedAt >= retention)
            {
                if (_entries.TryUpdate(id, mine, existing))
                {
                    entry = mine;
                    return Outcome.Began;
                }

                continue;
            }

            entry = existing;
            if (existing.Fingerprint != hash)
            {
                return Outcome.Reused;
            }

            return payment is null ? Outcome.InUse : Outcome.Replay;
        }
    }

    /// <summary>Completes a claimed entry with the payment its create made; from now on the key replays it.</summary>
    /// <param name="entry">The entry <see cref="TryBegin"/> claimed.</param>
    /// <param name="payment">The payment created.</param>
    public void Complete(Entry entry, PaymentRecord payment)
    {
        entry.Complete(payment, clock.GetUtcNow());
        _completed.Enqueue(entry);
    }

    /// <summary>Releases a claimed entry whose create failed, so the key can be used again.</summary>
    /// <param name="entry">The entry <see cref="TryBegin"/> claimed.</param>
    public void Release(Entry entry) =>
        _entries.TryRemove(new KeyValuePair<(string, string), Entry>((entry.Environment, entry.Key), entry));

    /// <summary>
    /// 128 bits of the SHA-256 of the fingerprint's UTF-16 code units (exact: no text is replaced on the way), kept
    /// instead of the fingerprint: two different requests under one key agree on it with a chance of 2^-128.
    /// </summary>
    private static UInt128 Hash(string fingerprint)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(MemoryMarshal.AsBytes(fingerprint.AsSpan()), hash);
        return BinaryPrimitives.ReadUInt128LittleEndian(hash);
    }

    private void Purge()
    {
        DateTimeOffset cutoff = clock.GetUtcNow() - retention;
        while (_completed.TryPeek(out Entry? head) && head.CompletedAt <= cutoff && _completed.TryDequeue(out head))
        {
            Release(head);
        }
    }

    /// <summary>One claimed key: in flight until <see cref="Payment"/> is set, then completed.</summary>
    internal sealed class Entry(string environment, string key, UInt128 fingerprint)
    {
        private long _completedAt;

        /// <summary>Gets the environment's name.</summary>
        public string Environment { get; } = environment;

        /// <summary>Gets the idempotency key.</summary>
        public string Key { get; } = key;

        /// <summary>Gets the hash of the request's fingerprint.</summary>
        public UInt128 Fingerprint { get; } = fingerprint;

        /// <summary>Gets the payment the create made, or <see langword="null"/> while it is in flight.</summary>
        public PaymentRecord? Payment { get => Volatile.Read(ref field); private set => Volatile.Write(ref field, value); }

        /// <summary>Gets when the create completed; read it only once <see cref="Payment"/> is set.</summary>
        public DateTimeOffset CompletedAt => Ticks.ToTime(_completedAt);

        /// <summary>Completes the entry; <see cref="Payment"/> is written last, so whoever sees it sees the time too.</summary>
        public void Complete(PaymentRecord payment, DateTimeOffset at)
        {
            _completedAt = at.UtcTicks;
            Payment = payment;
        }
    }
}
