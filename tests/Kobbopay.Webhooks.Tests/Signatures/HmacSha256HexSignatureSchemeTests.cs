namespace Kobbopay.Webhooks.Tests.Signatures;

/// <summary>The gateway's default scheme, entry by entry: hex of either case, <c>sha256=</c> prefixes, several entries, rotation, segmented bodies.</summary>
public sealed class HmacSha256HexSignatureSchemeTests
{
    private const string Secret = "kp_whsec_primary";
    private const string OtherSecret = "kp_whsec_other";
    private static readonly byte[] Body = EventBodies.Paid();
    private static readonly string Signature = HmacSha256HexSignatureScheme.ComputeSignature(Body, Secret);

    [Fact]
    public void Name_is_the_contract_name()
    {
        new HmacSha256HexSignatureScheme([Secret]).Name.ShouldBe("hmac-sha256-hex");
        HmacSha256HexSignatureScheme.SchemeName.ShouldBe("hmac-sha256-hex");
        HmacSha256HexSignatureScheme.DefaultHeaderName.ShouldBe("x-signature");
    }

    [Fact]
    public void ComputeSignature_is_64_lowercase_hex_digits()
    {
        Signature.ShouldMatch("^[0-9a-f]{64}$");
    }

    [Fact]
    public void Valid_signature_is_accepted()
    {
        Verify(Signature).ShouldBe(WebhookVerificationResult.Valid);
        Verify(Signature).IsValid.ShouldBeTrue();
    }

    [Fact]
    public void Upper_case_hex_is_accepted()
    {
        Verify(Signature.ToUpperInvariant()).ShouldBe(WebhookVerificationResult.Valid);
    }

    [Fact]
    public void Sha256_prefixed_entry_is_accepted()
    {
        Verify("sha256=" + Signature).ShouldBe(WebhookVerificationResult.Valid);
    }

    [Fact]
    public void Header_name_is_matched_case_insensitively()
    {
        WebhookHeaders headers = new();
        headers.Add("X-Signature", Signature);

        Scheme(Secret).Verify(Body, headers).ShouldBe(WebhookVerificationResult.Valid);
    }

    [Fact]
    public void Configured_header_name_is_read_and_the_default_is_not()
    {
        HmacSha256HexSignatureScheme scheme = new([Secret], "x-kobbopay-signature");

        scheme.Verify(Body, new WebhookHeaders([new("x-kobbopay-signature", Signature)])).ShouldBe(WebhookVerificationResult.Valid);
        scheme.Verify(Body, new WebhookHeaders([new("x-signature", Signature)])).ShouldBe(new WebhookVerificationResult(WebhookVerificationFailure.HeaderMissing) { Header = "x-kobbopay-signature" });
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(100)]
    public void Flipped_bit_in_the_body_is_NoSecretMatched(int bit)
    {
        Scheme(Secret).Verify(Bits.Flip(Body, bit), Headers(Signature)).Failure.ShouldBe(WebhookVerificationFailure.NoSecretMatched);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(128)]
    [InlineData(255)]
    public void Flipped_bit_in_the_signature_is_NoSecretMatched(int bit)
    {
        Verify(Bits.FlipHexMac(Signature, bit)).Failure.ShouldBe(WebhookVerificationFailure.NoSecretMatched);
    }

    [Theory]
    [InlineData(62)] // even length, valid hex, but not a SHA-256 digest
    [InlineData(32)]
    [InlineData(2)]
    public void Truncated_header_is_HeaderMalformed(int length)
    {
        Verify(Signature[..length]).Failure.ShouldBe(WebhookVerificationFailure.HeaderMalformed);
    }

    [Fact]
    public void Odd_length_hex_header_is_HeaderMalformed()
    {
        Verify(Signature[..63]).Failure.ShouldBe(WebhookVerificationFailure.HeaderMalformed);
        Verify(Signature + "0").Failure.ShouldBe(WebhookVerificationFailure.HeaderMalformed);
    }

    [Fact]
    public void Non_hex_header_is_HeaderMalformed()
    {
        Verify("zz" + Signature[2..]).Failure.ShouldBe(WebhookVerificationFailure.HeaderMalformed);
        Verify(new string('g', 64)).Failure.ShouldBe(WebhookVerificationFailure.HeaderMalformed);
        Verify("not a signature").Failure.ShouldBe(WebhookVerificationFailure.HeaderMalformed);
    }

    [Fact]
    public void Signature_made_with_a_wrong_secret_is_NoSecretMatched()
    {
        Verify(HmacSha256HexSignatureScheme.ComputeSignature(Body, OtherSecret)).Failure.ShouldBe(WebhookVerificationFailure.NoSecretMatched);
    }

    [Fact]
    public void Missing_header_is_HeaderMissing_naming_it()
    {
        Scheme(Secret).Verify(Body, new WebhookHeaders()).ShouldBe(new WebhookVerificationResult(WebhookVerificationFailure.HeaderMissing) { Header = "x-signature" });
    }

    [Fact]
    public void Empty_header_is_HeaderMissing()
    {
        Verify(string.Empty).Failure.ShouldBe(WebhookVerificationFailure.HeaderMissing);
    }

    [Fact]
    public void Malformed_entry_is_skipped_and_a_later_valid_entry_accepts()
    {
        Verify("nothex, " + Signature[..63] + " " + Signature).ShouldBe(WebhookVerificationResult.Valid);
        Verify("sha256=zz," + "sha256=" + Signature).ShouldBe(WebhookVerificationResult.Valid);
    }

    [Fact]
    public void Wrong_entry_followed_by_the_right_one_accepts()
    {
        string wrong = HmacSha256HexSignatureScheme.ComputeSignature(Body, OtherSecret);

        Verify(wrong + "," + Signature).ShouldBe(WebhookVerificationResult.Valid);
        Verify(wrong + " " + Signature).ShouldBe(WebhookVerificationResult.Valid);
    }

    [Fact]
    public void Well_formed_but_wrong_entries_alongside_malformed_ones_are_NoSecretMatched()
    {
        string wrong = HmacSha256HexSignatureScheme.ComputeSignature(Body, OtherSecret);

        Verify("nothex " + wrong).Failure.ShouldBe(WebhookVerificationFailure.NoSecretMatched);
    }

    [Fact]
    public void Header_with_only_malformed_entries_is_HeaderMalformed()
    {
        Verify("zz, sha256=, 123").Failure.ShouldBe(WebhookVerificationFailure.HeaderMalformed);
    }

    [Fact]
    public void Any_active_secret_accepts_during_rotation()
    {
        HmacSha256HexSignatureScheme scheme = new(["kp_whsec_old", Secret, "kp_whsec_new"]);

        foreach (string secret in (string[])["kp_whsec_old", Secret, "kp_whsec_new"])
        {
            scheme.Verify(Body, Headers(HmacSha256HexSignatureScheme.ComputeSignature(Body, secret))).ShouldBe(WebhookVerificationResult.Valid);
        }

        scheme.Verify(Body, Headers(HmacSha256HexSignatureScheme.ComputeSignature(Body, "kp_whsec_retired")))
            .Failure.ShouldBe(WebhookVerificationFailure.NoSecretMatched);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(64)]
    [InlineData(1000)]
    public void Body_split_into_many_segments_verifies_like_the_contiguous_span(int segmentSize)
    {
        byte[] body = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("""{"k":"välue"},""", 300)));
        string signature = HmacSha256HexSignatureScheme.ComputeSignature(body, Secret);
        HmacSha256HexSignatureScheme scheme = Scheme(Secret);

        scheme.Verify(SegmentedSequence.Chunks(body, segmentSize), Headers(signature)).ShouldBe(WebhookVerificationResult.Valid);
        scheme.Verify(SegmentedSequence.Chunks(Bits.Flip(body, 4000), segmentSize), Headers(signature))
            .Failure.ShouldBe(WebhookVerificationFailure.NoSecretMatched);
    }

    [Fact]
    public void Sequence_with_empty_segments_verifies_like_the_contiguous_span()
    {
        System.Buffers.ReadOnlySequence<byte> sequence = SegmentedSequence.Split(Body, [0, 0, 5, 5, 5, 17, Body.Length, Body.Length]);
        sequence.IsSingleSegment.ShouldBeFalse();

        Scheme(Secret).Verify(sequence, Headers(Signature)).ShouldBe(WebhookVerificationResult.Valid);
    }

    [Fact]
    public void Empty_body_is_verified_like_any_other()
    {
        string signature = HmacSha256HexSignatureScheme.ComputeSignature([], Secret);

        Scheme(Secret).Verify([], Headers(signature)).ShouldBe(WebhookVerificationResult.Valid);
        Scheme(Secret).Verify(System.Buffers.ReadOnlySequence<byte>.Empty, Headers(signature)).ShouldBe(WebhookVerificationResult.Valid);
    }

    private static HmacSha256HexSignatureScheme Scheme(params string[] secrets) => new(secrets);

    private static WebhookHeaders Headers(string signature) => new([new("x-signature", signature)]);

    private static WebhookVerificationResult Verify(string header) => Scheme(Secret).Verify(Body, Headers(header));
}
