using FsCheck;
using FsCheck.Fluent;
using Kobbopay.Webhooks.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Kobbopay.Webhooks.Tests.Signatures;

/// <summary>
/// Properties over arbitrary bodies and secrets: a delivery is accepted exactly when it was signed with an active secret,
/// and any single-bit change to the body or the MAC is rejected.
/// </summary>
public sealed class SignaturePropertyTests
{
    private const string Id = "evt_prop";
    private static readonly DateTimeOffset Now = SchemeDriver.SignedAt;
    private static readonly long Timestamp = Now.ToUnixTimeSeconds();
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(300);

    // Text elements, some multi-byte in UTF-8, none a lone surrogate (which would collapse to U+FFFD and make two
    // different strings the same key).
    private static readonly string[] SecretAlphabet = ["a", "b", "z", "A", "Q", "0", "9", "-", "_", " ", "é", "€", "日", "😀"];

    /// <summary>Bodies from empty to 2 KiB: a length and a seed, filled by a seeded generator (fast, and reproducible from the counterexample).</summary>
    private static Gen<byte[]> BodyGen(int minLength = 0) =>
        from length in Gen.Frequency((3, Gen.Choose(minLength, 64)), (1, Gen.Choose(Math.Max(minLength, 65), 2048)))
        from seed in Gen.Choose(int.MinValue, int.MaxValue)
        select Fill(length, seed);

    /// <summary>2 to 5 distinct string secrets (distinct by an index prefix).</summary>
    private static Gen<string[]> HexSecretsGen() =>
        from count in Gen.Choose(2, 5)
        from parts in Gen.ArrayOf(Gen.ArrayOf(Gen.Elements(SecretAlphabet)).Select(string.Concat), count)
        select parts.Select((p, i) => $"{i}{p}").ToArray();

    /// <summary>2 to 5 distinct whsec_ secrets of 1 to 80 bytes; the last byte is never zero (HMAC pads short keys with zeros, so k and k‖00 are the same key).</summary>
    private static Gen<string[]> StandardSecretsGen() =>
        from count in Gen.Choose(2, 5)
        from keys in Gen.ArrayOf(
            from length in Gen.Choose(1, 80)
            from seed in Gen.Choose(int.MinValue, int.MaxValue)
            select Fill(length, seed),
            count)
        select keys.Select((k, i) =>
        {
            k[0] = (byte)i;
            k[^1] |= 1;
            if (k.Length == 1)
            {
                k[0] = (byte)((i * 2) + 1);
            }

            return "whsec_" + Convert.ToBase64String(k);
        }).ToArray();

    [Theory]
    [InlineData(HmacSha256HexSignatureScheme.SchemeName)]
    [InlineData(StandardWebhooksSignatureScheme.SchemeName)]
    public void Accepts_exactly_what_an_active_secret_signed(string schemeName)
    {
        SchemeDriver driver = SchemeDriver.For(schemeName);
        Gen<(byte[] Body, string[] Secrets, int Signer, int Active)> cases =
            from body in BodyGen()
            from secrets in schemeName == StandardWebhooksSignatureScheme.SchemeName ? StandardSecretsGen() : HexSecretsGen()
            from signer in Gen.Choose(0, secrets.Length - 1)
            from active in Gen.Choose(1, (1 << secrets.Length) - 1)
            select (body, secrets, signer, active);
        FakeTimeProvider clock = new(Now);

        Check.One(Config, Prop.ForAll(Arb.From(cases), c =>
        {
            IWebhookSignatureScheme scheme = driver.Create(clock, Subset(c.Secrets, c.Active));

            WebhookVerificationResult result = scheme.Verify(c.Body, driver.Sign(c.Body, c.Secrets[c.Signer]));

            bool signerActive = (c.Active & (1 << c.Signer)) != 0;
            return result.Failure == (signerActive ? WebhookVerificationFailure.None : WebhookVerificationFailure.NoSecretMatched);
        }));
    }

    [Theory]
    [InlineData(HmacSha256HexSignatureScheme.SchemeName, true)]
    [InlineData(HmacSha256HexSignatureScheme.SchemeName, false)]
    [InlineData(StandardWebhooksSignatureScheme.SchemeName, true)]
    [InlineData(StandardWebhooksSignatureScheme.SchemeName, false)]
    public void Rejects_any_single_bit_change(string schemeName, bool inTheBody)
    {
        SchemeDriver driver = SchemeDriver.For(schemeName);
        Gen<(byte[] Body, int Bit)> cases =
            from body in BodyGen(minLength: 1)
            from bit in Gen.Choose(0, inTheBody ? (body.Length * 8) - 1 : 255)
            select (body, bit);
        IWebhookSignatureScheme scheme = driver.Create(new FakeTimeProvider(Now), driver.Secret);

        Check.One(Config, Prop.ForAll(Arb.From(cases), c =>
        {
            WebhookHeaders headers = driver.Sign(c.Body, driver.Secret);
            WebhookVerificationResult changed = inTheBody
                ? scheme.Verify(Bits.Flip(c.Body, c.Bit), headers)
                : scheme.Verify(c.Body, driver.SignWithFlippedMacBit(c.Body, driver.Secret, c.Bit));
            return scheme.Verify(c.Body, headers).IsValid && changed.Failure == WebhookVerificationFailure.NoSecretMatched;
        }));
    }

    [Fact]
    public void Any_segmentation_of_the_body_verifies_like_the_contiguous_span()
    {
        Gen<(byte[] Body, int[] Cuts, bool Forged)> cases =
            from body in BodyGen()
            from cuts in Gen.ArrayOf(Gen.Choose(0, body.Length))
            from forged in Gen.Elements(true, false)
            select (body, cuts, forged);
        HmacSha256HexSignatureScheme hex = new(["kp_whsec_prop"]);
        StandardWebhooksSignatureScheme standard = new(["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"], timeProvider: new FakeTimeProvider(Now));

        Check.One(Config, Prop.ForAll(Arb.From(cases), c =>
        {
            byte[] signed = c.Forged ? [.. c.Body, 0x20] : c.Body;
            WebhookHeaders hexHeaders = new([new("x-signature", HmacSha256HexSignatureScheme.ComputeSignature(signed, "kp_whsec_prop"))]);
            WebhookHeaders standardHeaders = StandardWebhooksHeaders.Create(
                Id, Timestamp, StandardWebhooksSignatureScheme.ComputeSignature(signed, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", Id, Timestamp));
            System.Buffers.ReadOnlySequence<byte> sequence = SegmentedSequence.Split(c.Body, c.Cuts);

            WebhookVerificationResult hexSpan = hex.Verify(c.Body, hexHeaders);
            WebhookVerificationResult standardSpan = standard.Verify(c.Body, standardHeaders);
            return hexSpan.IsValid == !c.Forged
                && standardSpan.IsValid == !c.Forged
                && hex.Verify(sequence, hexHeaders) == hexSpan
                && standard.Verify(sequence, standardHeaders) == standardSpan;
        }));
    }

    private static string[] Subset(string[] secrets, int mask) => [.. secrets.Where((_, i) => (mask & (1 << i)) != 0)];

    private static byte[] Fill(int length, int seed)
    {
        byte[] bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
