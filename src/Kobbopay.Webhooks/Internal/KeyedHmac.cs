using System.Security.Cryptography;

namespace Kobbopay.Webhooks.Internal;

/// <summary>
/// HMAC-SHA256 under one secret, reusing keyed hash states across calls: building the keyed
/// context is a large share of the cost of a one-shot HMAC on a small body. States are pooled
/// in a few lock-free slots, so concurrent callers never share one and steady state allocates
/// nothing.
/// </summary>
internal sealed class KeyedHmac : IDisposable
{
    public const int MacSize = 32;
    private readonly byte[] _key;
    private readonly IncrementalHash?[] _slots = new IncrementalHash?[Math.Clamp(Environment.ProcessorCount * 2, 4, 64)];

    public KeyedHmac(byte[] key) => _key = key;

    /// <summary>Computes the HMAC of a prefix (empty for most schemes) followed by a body into <paramref name="mac"/>.</summary>
    public void Compute(ReadOnlySpan<byte> prefix, scoped in SignedBody body, Span<byte> mac)
    {
        IncrementalHash hash = Rent();
        hash.AppendData(prefix);
        body.AppendTo(hash);
        Finish(hash, mac);
    }

    public void Dispose()
    {
        for (int i = 0; i < _slots.Length; i++)
        {
            Interlocked.Exchange(ref _slots[i], null)?.Dispose();
        }

        CryptographicOperations.ZeroMemory(_key);
    }

    private void Finish(IncrementalHash hash, Span<byte> mac)
    {
        if (!hash.TryGetHashAndReset(mac, out int written) || written != MacSize)
        {
            hash.Dispose();
            throw new CryptographicException("HMAC-SHA256 did not produce 32 bytes.");
        }

        Return(hash);
    }

    private IncrementalHash Rent()
    {
        for (int i = 0; i < _slots.Length; i++)
        {
            if (Volatile.Read(ref _slots[i]) is not null && Interlocked.Exchange(ref _slots[i], null) is { } hash)
            {
                return hash;
            }
        }

        return IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
    }

    private void Return(IncrementalHash hash)
    {
        for (int i = 0; i < _slots.Length; i++)
        {
            if (Interlocked.CompareExchange(ref _slots[i], hash, null) is null)
            {
                return;
            }
        }

        hash.Dispose();
    }
}
