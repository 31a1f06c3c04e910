using System.Security.Cryptography;

namespace Kobbopay.Benchmarks;

/// <summary>
/// Forged signatures for the timing checks: a wrong MAC of the right length, in the scheme's own encoding, differing
/// from the true one in its first byte or in its last byte only (so a compare that stops at the first difference would
/// show as a gap between the two).
/// </summary>
internal static class ForgedSignature
{
    /// <summary>Which byte of the MAC the forgery changes.</summary>
    public enum Byte
    {
        First,
        Last,
    }

    /// <summary>Forges a <c>hmac-sha256-hex</c> header value (64 lowercase hex characters).</summary>
    public static string Hex(string signature, Byte which) =>
        Convert.ToHexString(Flip(Convert.FromHexString(signature), which)).ToLowerInvariant();

    /// <summary>Forges a Standard Webhooks entry (<c>v1,</c> followed by the base64 MAC).</summary>
    public static string StandardWebhooks(string signature, Byte which)
    {
        const string Version = "v1,";
        if (!signature.StartsWith(Version, StringComparison.Ordinal))
        {
            throw new ArgumentException("Not a single v1 Standard Webhooks entry.", nameof(signature));
        }

        return Version + Convert.ToBase64String(Flip(Convert.FromBase64String(signature[Version.Length..]), which));
    }

    private static byte[] Flip(byte[] mac, Byte which)
    {
        if (mac.Length != HMACSHA256.HashSizeInBytes)
        {
            throw new ArgumentException("Not an HMAC-SHA256 MAC.", nameof(mac));
        }

        mac[which == Byte.First ? 0 : mac.Length - 1] ^= 0x01;
        return mac;
    }
}
