namespace Kobbopay.Webhooks.Tests.TestSupport;

/// <summary>Bodies and secrets for the known-answer tests: edge cases of length, encoding and key size.</summary>
internal static class KnownAnswerBodies
{
    public static readonly IReadOnlyDictionary<string, byte[]> Bodies = new Dictionary<string, byte[]>
    {
        ["empty"] = [],
        ["ascii"] = Encoding.UTF8.GetBytes("""{"id":"evt_1","type":"payment.paid"}"""),
        ["utf8-multibyte"] = Encoding.UTF8.GetBytes("""{"note":"café ☕ 日本語 😀"}"""),
        ["json-escapes-and-raw-bytes"] = JsonWithEscapesAndRawBytes(),
        ["16KiB"] = Pattern(16 * 1024),
    };

    public static readonly IReadOnlyDictionary<string, string> Secrets = new Dictionary<string, string>
    {
        ["ascii"] = "kp_whsec_test_1",
        ["utf8"] = "clé-secrète-🔑",
        ["with-spaces"] = "a secret with spaces",
        // Longer than SHA-256's 64-byte block: HMAC hashes such a key first.
        ["longer-than-a-block"] = string.Concat(Enumerable.Repeat("0123456789", 10)),
    };

    /// <summary>Every body with every secret, by name, for <c>[MemberData]</c>.</summary>
    public static TheoryData<string, string> HmacCases()
    {
        TheoryData<string, string> data = [];
        foreach (string body in Bodies.Keys)
        {
            foreach (string secret in Secrets.Keys)
            {
                data.Add(body, secret);
            }
        }

        return data;
    }

    /// <summary>Every body by name, for <c>[MemberData]</c>.</summary>
    public static TheoryData<string> BodyNames() => [.. Bodies.Keys];

    private static byte[] JsonWithEscapesAndRawBytes()
    {
        // JSON escapes (control characters, quotes, backslashes, \u sequences incl. a surrogate pair) followed by
        // bytes that are not UTF-8 at all: the MAC is over raw bytes, whatever they are.
        byte[] json = Encoding.UTF8.GetBytes("""{"esc":"\u0000\t\n\r\"\\\/\u00e9\ud83d\ude00","raw":" """);
        byte[] raw = [0x00, 0x01, 0x1F, 0x7F, 0x80, 0xC0, 0xFE, 0xFF, 0x0D, 0x0A];
        byte[] tail = Encoding.UTF8.GetBytes("\"}");
        return [.. json, .. raw, .. tail];
    }

    private static byte[] Pattern(int length)
    {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)((i * 131) + (i >> 8));
        }

        return bytes;
    }
}
