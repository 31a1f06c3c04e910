using System.Security.Cryptography;
using System.Text;

namespace Kobbopay.Sdk;

/// <summary>Makes idempotency keys for <see cref="KobbopayClient.CreatePaymentAsync"/>.</summary>
public static class KobbopayIdempotencyKey
{
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
        Guard.NotNullOrEmpty(orderId);
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes($"kobbopay-order\n{orderId.Length}:{orderId}\n{attempt ?? string.Empty}"));
        return "order_" + Convert.ToBase64String(hash).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>Makes a new random key, for one logical call.</summary>
    /// <returns>A fresh key.</returns>
    public static string NewKey() => "call_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();

    internal static bool IsValid(string key) => key.Length is >= 1 and <= 255 && key.All(c => c is >= ' ' and <= '~');
}
