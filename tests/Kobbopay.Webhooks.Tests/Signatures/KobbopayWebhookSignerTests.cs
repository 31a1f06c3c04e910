using System.Globalization;
using Kobbopay.Webhooks.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Kobbopay.Webhooks.Tests.Signatures;

public sealed class KobbopayWebhookSignerTests
{
    private static readonly byte[] Body = EventBodies.Paid(id: "evt_signer");
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Hmac_sha256_hex_gives_one_x_signature_header_the_scheme_accepts()
    {
        IReadOnlyList<KeyValuePair<string, string>> headers = KobbopayWebhookSigner.Sign(Body, "hmac-sha256-hex", "kp_whsec_s", "evt_signer", Now);

        headers.ShouldBe([new("x-signature", HmacSha256HexSignatureScheme.ComputeSignature(Body, "kp_whsec_s"))]);
        new HmacSha256HexSignatureScheme(["kp_whsec_s"]).Verify(Body, new WebhookHeaders(headers)).ShouldBe(WebhookVerificationResult.Valid);
    }

    [Fact]
    public void Standard_Webhooks_gives_id_timestamp_and_signature_headers_the_scheme_accepts()
    {
        const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

        IReadOnlyList<KeyValuePair<string, string>> headers = KobbopayWebhookSigner.Sign(Body, "standard-webhooks", Secret, "evt_signer", Now);

        headers.ShouldBe(
        [
            new("webhook-id", "evt_signer"),
            new("webhook-timestamp", Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
            new("webhook-signature", StandardWebhooksSignatureScheme.ComputeSignature(Body, Secret, "evt_signer", Now.ToUnixTimeSeconds())),
        ]);
        new StandardWebhooksSignatureScheme([Secret], timeProvider: new FakeTimeProvider(Now)).Verify(Body, new WebhookHeaders(headers))
            .ShouldBe(WebhookVerificationResult.Valid);
    }

    [Fact]
    public void Unknown_scheme_is_refused()
    {
        Assert.ThrowsAny<ArgumentException>(() => KobbopayWebhookSigner.Sign(Body, "rot13", "s", "evt_signer", Now));
    }
}
