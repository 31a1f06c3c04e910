using System.Text;
using System.Text.RegularExpressions;
using Kobbopay.Webhooks.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Kobbopay.Webhooks.Tests.Signatures;

/// <summary>
/// Known answers from tools that share no code with the library: openssl and node's crypto, run on the very bytes, plus
/// answers pinned from openssl (so the class means something where the tools are absent) and the Standard Webhooks
/// specification's published vector.
/// </summary>
public sealed partial class IndependentToolKnownAnswerTests
{
    // Computed once with:
    //   printf '%s' '{"id":"evt_1","type":"payment.paid"}' > a.bin && openssl dgst -sha256 -hmac 'kp_whsec_test_1' a.bin
    private const string PinnedAsciiSignature = "d3b99a793178e6ca31730db95b11864e9c59ce0cbeabc2770cb589649f9e5044";

    // Computed once with:
    //   printf '%s' '{"note":"café ☕ 日本語 😀"}' > u.bin && openssl dgst -sha256 -hmac 'clé-secrète-🔑' u.bin
    private const string PinnedUtf8Signature = "ae4c1cfcac9b509013be44673adbcf67a5d355eb188c43295d234bfed12e23d1";

    // The Standard Webhooks specification's test vector (standard-webhooks/standard-webhooks, libraries' tests).
    private const string VectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string VectorMessageId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long VectorTimestamp = 1614265330;
    private const string VectorPayload = """{"test": 2432232314}""";
    private const string VectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private const string OtherStandardSecret = "whsec_c2VjcmV0LWtleS1mb3ItdGhlLWtub3duLWFuc3dlcnMh";
    private const string MessageId = "msg_kat_1";
    private const long Timestamp = 1767225600; // 2026-01-01T00:00:00Z

    public static TheoryData<string, string> HmacCases => KnownAnswerBodies.HmacCases();

    public static TheoryData<string> BodyNames => KnownAnswerBodies.BodyNames();

    [Theory]
    [InlineData("ascii", "ascii", PinnedAsciiSignature)]
    [InlineData("utf8-multibyte", "utf8", PinnedUtf8Signature)]
    public void Pinned_openssl_answers_are_computed_and_accepted(string bodyName, string secretName, string expected)
    {
        byte[] body = KnownAnswerBodies.Bodies[bodyName];
        string secret = KnownAnswerBodies.Secrets[secretName];

        HmacSha256HexSignatureScheme.ComputeSignature(body, secret).ShouldBe(expected);
        HmacScheme(secret).Verify(body, HexHeaders(expected)).ShouldBe(WebhookVerificationResult.Valid);
    }

    [Theory]
    [MemberData(nameof(HmacCases))]
    public void Hmac_sha256_hex_matches_openssl(string bodyName, string secretName)
    {
        byte[] body = KnownAnswerBodies.Bodies[bodyName];
        string secret = KnownAnswerBodies.Secrets[secretName];

        string expected = WithTempFile(body, path => OpensslHex(ExternalTool.Run("openssl", "dgst", "-sha256", "-hmac", secret, path)));

        AssertHexSignature(body, secret, expected);
    }

    [Theory]
    [MemberData(nameof(HmacCases))]
    public void Hmac_sha256_hex_matches_node_crypto(string bodyName, string secretName)
    {
        byte[] body = KnownAnswerBodies.Bodies[bodyName];
        string secret = KnownAnswerBodies.Secrets[secretName];

        const string Script =
            "const c=require('crypto'),fs=require('fs');"
            + "process.stdout.write(c.createHmac('sha256',Buffer.from(process.argv[1],'utf8')).update(fs.readFileSync(process.argv[2])).digest('hex'))";
        string expected = WithTempFile(body, path => ExternalTool.Run("node", "-e", Script, secret, path).Trim());

        AssertHexSignature(body, secret, expected);
    }

    [Fact]
    public void Standard_Webhooks_published_vector_is_reproduced_and_verified()
    {
        byte[] body = Encoding.UTF8.GetBytes(VectorPayload);

        StandardWebhooksSignatureScheme.ComputeSignature(body, VectorSecret, VectorMessageId, VectorTimestamp).ShouldBe(VectorSignature);

        FakeTimeProvider clock = new(DateTimeOffset.FromUnixTimeSeconds(VectorTimestamp));
        StandardWebhooksHeaders(VectorMessageId, VectorTimestamp, VectorSignature).Verify(new StandardWebhooksSignatureScheme([VectorSecret], timeProvider: clock), body)
            .ShouldBe(WebhookVerificationResult.Valid);

        // The specification's libraries accept the secret without its prefix too.
        StandardWebhooksHeaders(VectorMessageId, VectorTimestamp, VectorSignature)
            .Verify(new StandardWebhooksSignatureScheme([VectorSecret["whsec_".Length..]], timeProvider: clock), body)
            .ShouldBe(WebhookVerificationResult.Valid);
    }

    [Theory]
    [MemberData(nameof(BodyNames))]
    public void Standard_Webhooks_matches_openssl(string bodyName)
    {
        byte[] body = KnownAnswerBodies.Bodies[bodyName];
        foreach (string secret in (string[])[VectorSecret, OtherStandardSecret])
        {
            string keyHex = Convert.ToHexStringLower(Convert.FromBase64String(secret["whsec_".Length..]));
            byte[] content = [.. Encoding.UTF8.GetBytes($"{MessageId}.{Timestamp}."), .. body];
            string hex = WithTempFile(content, path =>
                OpensslHex(ExternalTool.Run("openssl", "dgst", "-sha256", "-mac", "HMAC", "-macopt", "hexkey:" + keyHex, path)));

            AssertStandardSignature(body, secret, "v1," + Convert.ToBase64String(Convert.FromHexString(hex)));
        }
    }

    [Theory]
    [MemberData(nameof(BodyNames))]
    public void Standard_Webhooks_matches_node_crypto(string bodyName)
    {
        byte[] body = KnownAnswerBodies.Bodies[bodyName];
        const string Script =
            "const c=require('crypto'),fs=require('fs');const [key,id,ts,file]=process.argv.slice(1);"
            + "const h=c.createHmac('sha256',Buffer.from(key.replace(/^whsec_/,''),'base64'));"
            + "h.update(Buffer.from(id+'.'+ts+'.','utf8'));h.update(fs.readFileSync(file));"
            + "process.stdout.write('v1,'+h.digest('base64'))";
        foreach (string secret in (string[])[VectorSecret, OtherStandardSecret])
        {
            string expected = WithTempFile(body, path =>
                ExternalTool.Run("node", "-e", Script, secret, MessageId, Timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), path).Trim());

            AssertStandardSignature(body, secret, expected);
        }
    }

    [Fact]
    public void Node_reproduces_the_Standard_Webhooks_vector_so_the_oracle_itself_is_checked()
    {
        const string Script =
            "const c=require('crypto');const [key,content]=process.argv.slice(1);"
            + "process.stdout.write('v1,'+c.createHmac('sha256',Buffer.from(key.replace(/^whsec_/,''),'base64')).update(content,'utf8').digest('base64'))";

        ExternalTool.Run("node", "-e", Script, VectorSecret, $"{VectorMessageId}.{VectorTimestamp}.{VectorPayload}").Trim().ShouldBe(VectorSignature);
    }

    private static void AssertHexSignature(byte[] body, string secret, string expected)
    {
        expected.ShouldMatch("^[0-9a-f]{64}$");
        HmacSha256HexSignatureScheme.ComputeSignature(body, secret).ShouldBe(expected);

        HmacSha256HexSignatureScheme scheme = HmacScheme(secret);
        scheme.Verify(body, HexHeaders(expected)).ShouldBe(WebhookVerificationResult.Valid);
        scheme.Verify(SegmentedSequence.Chunks(body, 7), HexHeaders(expected)).ShouldBe(WebhookVerificationResult.Valid);
    }

    private static void AssertStandardSignature(byte[] body, string secret, string expected)
    {
        StandardWebhooksSignatureScheme.ComputeSignature(body, secret, MessageId, Timestamp).ShouldBe(expected);

        FakeTimeProvider clock = new(DateTimeOffset.FromUnixTimeSeconds(Timestamp));
        StandardWebhooksSignatureScheme scheme = new([secret], timeProvider: clock);
        WebhookHeaders headers = new([new("webhook-id", MessageId), new("webhook-timestamp", Timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("webhook-signature", expected)]);
        scheme.Verify(body, headers).ShouldBe(WebhookVerificationResult.Valid);
        scheme.Verify(SegmentedSequence.Chunks(body, 5), headers).ShouldBe(WebhookVerificationResult.Valid);
    }

    private static HmacSha256HexSignatureScheme HmacScheme(string secret) => new([secret]);

    private static WebhookHeaders HexHeaders(string signature) => new([new(HmacSha256HexSignatureScheme.DefaultHeaderName, signature)]);

    private static StandardHeaders StandardWebhooksHeaders(string id, long timestamp, string signature) => new(id, timestamp, signature);

    private static string OpensslHex(string output)
    {
        Match match = OpensslOutput().Match(output);
        match.Success.ShouldBeTrue($"Unexpected openssl output: '{output}'");
        return match.Groups[1].Value;
    }

    private static string WithTempFile(byte[] bytes, Func<string, string> run)
    {
        string path = ExternalTool.WriteTempFile(bytes);
        try
        {
            return run(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [GeneratedRegex(@"=\s*([0-9a-f]{64})\s*$")]
    private static partial Regex OpensslOutput();

    private sealed record StandardHeaders(string Id, long Timestamp, string Signature)
    {
        public WebhookVerificationResult Verify(StandardWebhooksSignatureScheme scheme, byte[] body) =>
            scheme.Verify(body, new WebhookHeaders(
            [
                new("webhook-id", Id),
                new("webhook-timestamp", Timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new("webhook-signature", Signature),
            ]));
    }
}
