namespace Kobbopay.Webhooks.Tests.TestSupport;

/// <summary>Bit and encoding helpers for tampering with bodies and signatures.</summary>
internal static class Bits
{
    public static byte[] Flip(ReadOnlySpan<byte> bytes, int bitIndex)
    {
        byte[] copy = bytes.ToArray();
        copy[bitIndex / 8] ^= (byte)(1 << (bitIndex % 8));
        return copy;
    }

    /// <summary>Flips one bit of the MAC a lowercase-hex signature encodes, and re-encodes it.</summary>
    public static string FlipHexMac(string hex, int bitIndex) =>
        Convert.ToHexStringLower(Flip(Convert.FromHexString(hex), bitIndex));

    /// <summary>Flips one bit of the MAC a <c>v1,&lt;base64&gt;</c> signature encodes, and re-encodes it.</summary>
    public static string FlipStandardWebhooksMac(string signature, int bitIndex)
    {
        signature.ShouldStartWith("v1,");
        return "v1," + Convert.ToBase64String(Flip(Convert.FromBase64String(signature[3..]), bitIndex));
    }
}
