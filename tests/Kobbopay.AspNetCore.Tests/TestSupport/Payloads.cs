using System.Globalization;
using System.Text;

namespace Kobbopay.AspNetCore.Tests.TestSupport;

/// <summary>Event bodies as the gateway sends them, and their signatures.</summary>
public static class Payloads
{
    public const string Secret = "whk_test_secret_4f9a1c0e7b2d";
    public const string OtherSecret = "whk_test_rotated_secret_93be11";
    public const string StandardSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    public const string OtherStandardSecret = "whsec_c2Vjb25kLXN0YW5kYXJkLXNlY3JldC0xMjM0NQ==";

    /// <summary>
    /// A <c>payment.*</c> event body, optionally padded with trailing spaces (valid JSON) to exactly <paramref name="totalBytes"/>.
    /// Without <paramref name="paymentId"/>, each event id is its own payment (<c>evt_1</c>: <c>pay_1</c>), so distinct events at
    /// the same sequence are not stale to each other.
    /// </summary>
    public static byte[] Event(string id, string type = "payment.paid", string? paymentId = null, long sequence = 2, int? totalBytes = null)
    {
        paymentId ??= "pay_" + (id.StartsWith("evt_", StringComparison.Ordinal) ? id[4..] : id);
        string json = "{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"createdAt\":\"2026-11-21T10:00:00Z\",\"paymentId\":\"" + paymentId
            + "\",\"sequence\":" + sequence.ToString(CultureInfo.InvariantCulture) + ",\"previousStatus\":\"pending\",\"data\":{\"payment\":{\"id\":\"" + paymentId
            + "\",\"status\":\"paid\",\"amount\":\"10.50\",\"currency\":\"USDT\",\"network\":\"example-network\",\"orderId\":\"order-1\","
            + "\"createdAt\":\"2026-11-21T09:59:00Z\",\"updatedAt\":\"2026-11-21T10:00:00Z\",\"expiresAt\":\"2026-11-21T10:14:00Z\"}}}";
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        if (totalBytes is not { } total)
        {
            return bytes;
        }

        if (total < bytes.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(totalBytes), $"The event alone is {bytes.Length} bytes.");
        }

        byte[] padded = new byte[total];
        bytes.CopyTo(padded, 0);
        padded.AsSpan(bytes.Length).Fill((byte)' ');
        return padded;
    }

    /// <summary>Signs with <see cref="KobbopayWebhookSigner"/>, the way the gateway does.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Sign(byte[] body, string secret = Secret, string scheme = HmacSha256HexSignatureScheme.SchemeName, string eventId = "evt_1", DateTimeOffset? at = null) =>
        KobbopayWebhookSigner.Sign(body, scheme, secret, eventId, at ?? TimeProvider.System.GetUtcNow());
}
