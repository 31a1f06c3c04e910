using System.Security.Cryptography;

namespace Kobbopay.Webhooks.Internal;

/// <summary>
/// The active secrets of a scheme (several while rotating) and the one MAC core both schemes share: the MAC of a
/// delivery under every secret, and a constant-time match of a candidate against all of them.
/// </summary>
internal sealed class SecretMacs
{
    /// <summary>The most secrets a scheme accepts at once.</summary>
    public const int MaxSecrets = 16;

    /// <summary>The size of a buffer that holds the MAC under every secret (for a <see langword="stackalloc"/>).</summary>
    public const int BufferSize = MaxSecrets * KeyedHmac.MacSize;

    private readonly KeyedHmac[] _secrets;

    public SecretMacs(IEnumerable<byte[]> keys) => _secrets = [.. keys.Select(key => new KeyedHmac(key))];

    public int Count => _secrets.Length;

    /// <summary>Computes the MAC of <paramref name="prefix"/> followed by <paramref name="body"/> under every secret.</summary>
    /// <param name="prefix">Bytes signed before the body (empty for most schemes).</param>
    /// <param name="body">The raw body.</param>
    /// <param name="buffer">At least <see cref="BufferSize"/> bytes.</param>
    /// <returns>The MACs, one after another, in the part of <paramref name="buffer"/> they fill.</returns>
    public ReadOnlySpan<byte> ComputeAll(ReadOnlySpan<byte> prefix, scoped in SignedBody body, Span<byte> buffer)
    {
        for (int i = 0; i < _secrets.Length; i++)
        {
            _secrets[i].Compute(prefix, body, buffer.Slice(i * KeyedHmac.MacSize, KeyedHmac.MacSize));
        }

        return buffer[..(_secrets.Length * KeyedHmac.MacSize)];
    }

    /// <summary>Tells whether a candidate MAC equals any of <paramref name="macs"/>, comparing every one in constant time.</summary>
    public static bool MatchesAny(ReadOnlySpan<byte> candidate, ReadOnlySpan<byte> macs)
    {
        bool matched = false;
        for (int offset = 0; offset < macs.Length; offset += KeyedHmac.MacSize)
        {
            // Every comparison runs, matched or not, so timing does not depend on which secret matched.
            matched |= CryptographicOperations.FixedTimeEquals(candidate, macs.Slice(offset, KeyedHmac.MacSize));
        }

        return matched;
    }
}
