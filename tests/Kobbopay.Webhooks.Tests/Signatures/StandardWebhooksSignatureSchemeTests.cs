namespace Kobbopay.Webhooks.Tests.Signatures;

/// <summary>The Standard Webhooks scheme: what is signed (id, timestamp, body), <c>v1</c> entries, the timestamp tolerance on the clock, rotation.</summary>
public sealed class StandardWebhooksSignatureSchemeTests
{
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string OtherSecret = "whsec_c2VjcmV0LWtleS1mb3ItdGhlLWtub3duLWFuc3dlcnMh";
    private const string Id = "evt_sw_1";
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly long Timestamp = Now.ToUnixTimeSeconds();
    private static readonly byte[] Body = EventBodies.Paid(id: Id);
    private static readonly string Signature = StandardWebhooksSignatureScheme.ComputeSignature(Body, Secret, Id, Timestamp);

    private readonly FakeTimeProvider _clock = new(Now);

    [Fact]
    public void Name_is_the_contract_name()
    {
        Scheme().Name.ShouldBe("standard-webhooks");
        StandardWebhooksSignatureScheme.SchemeName.ShouldBe("standard-webhooks");
    }

    [Fact]
    public void ComputeSignature_is_a_v1_entry_of_a_32_byte_base64_mac()
    {
        Signature.ShouldStartWith("v1,");
        Convert.FromBase64String(Signature[3..]).Length.ShouldBe(32);
    }

    [Fact]
    public void Valid_signature_is_accepted()
    {
        Verify(Signature).ShouldBe(WebhookVerificationResult.Valid);
    }

    [Fact]
    public void Secret_without_the_whsec_prefix_is_accepted()
    {
        StandardWebhooksSignatureScheme scheme = new([Secret["whsec_".Length..]], timeProvider: _clock);

        scheme.Verify(Body, StandardWebhooksHeaders.Create(Id, Timestamp, Signature)).ShouldBe(WebhookVerificationResult.Valid);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    [InlineData(200)]
    public void Flipped_bit_in_the_body_is_NoSecretMatched(int bit)
    {
        Scheme().Verify(Bits.Flip(Body, bit), StandardWebhooksHeaders.Create(Id, Timestamp, Signature))
            .Failure.ShouldBe(WebhookVerificationFailure.NoSecretMatched);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(255)]
    public void Flipped_bit_in_the_signature_is_NoSecretMatched(int bit)
    {
        Verify(Bits.FlipStandardWebhooksMac(Signature, bit)).Failure.ShouldBe(WebhookVerificationFailure.NoSecretMatched);
    }

    [Fact]
    public void Signed_id_and_timestamp_are_part_of_the_mac()
    {
        Scheme().Verify(Body, StandardWebhooksHeaders.Create("evt_other", Timestamp, Signature)).Failure.ShouldBe(WebhookVerificationFailure.NoSecretMatched);
        Scheme().Verify(Body, StandardWebhooksHeaders.Create(Id, Timestamp + 1, Signature)).Failure.ShouldBe(WebhookVerificationFailure.NoSecretMatched);
    }

    [Theory]
    [InlineData(40)] // cut inside the base64: not a whole number of quanta
    [InlineData(10)]
    [InlineData(3)] // "v1," alone
    [InlineData(2)] // "v1"
    public void Truncated_signature_header_is_HeaderMalformed(int length)
    {
        Verify(Signature[..length]).Failure.ShouldBe(WebhookVerificationFailure.HeaderMalformed);
    }

    [Theory]
    [InlineData("v1,!!!!not-base64!!!!")]
    [InlineData("g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")] // no version
    [InlineData("v1g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    [InlineData("v1,c2hvcnQ=")] // base64 of 5 bytes: not a SHA-256 MAC
    public void Unreadable_signature_header_is_HeaderMalformed(string header)
    {
        Verify(header).Failure.ShouldBe(WebhookVerificationFailure.HeaderMalformed);
    }

    [Fact]
    public void Signature_made_with_a_wrong_secret_is_NoSecretMatched()
    {
        Verify(StandardWebhooksSignatureScheme.ComputeSignature(Body, OtherSecret, Id, Timestamp)).Failure.ShouldBe(WebhookVerificationFailure.NoSecretMatched);
    }

    [Theory]
    [InlineData(false, true, true, "webhook-id")]
    [InlineData(true, false, true, "webhook-timestamp")]
    [InlineData(true, true, false, "webhook-signature")]
    public void Any_missing_header_is_HeaderMissing_naming_it(bool id, bool timestamp, bool signature, string missing)
    {
        WebhookHeaders headers = StandardWebhooksHeaders.Create(
            id ? Id : null,
            timestamp ? Timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
            signature ? Signature : null);

        WebhookVerificationResult result = Scheme().Verify(Body, headers);

        result.Failure.ShouldBe(WebhookVerificationFailure.HeaderMissing);
        result.Header.ShouldBe(missing);
    }

    [Fact]
    public void Empty_signature_header_is_HeaderMissing()
    {
        Verify(string.Empty).Failure.ShouldBe(WebhookVerificationFailure.HeaderMissing);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("1767225600.5")]
    [InlineData("2026-01-01T00:00:00Z")]
    public void Unreadable_timestamp_is_HeaderMalformed(string timestamp)
    {
        Scheme().Verify(Body, StandardWebhooksHeaders.Create(Id, timestamp, Signature)).Failure.ShouldBe(WebhookVerificationFailure.HeaderMalformed);
    }

    [Theory]
    [InlineData(-301)] // older than the default 5-minute tolerance
    [InlineData(301)] // newer than it
    [InlineData(-86_400)]
    [InlineData(86_400)]
    public void Timestamp_outside_the_default_tolerance_is_TimestampOutOfTolerance(int offsetSeconds)
    {
        long signedAt = Timestamp + offsetSeconds;
        string signature = StandardWebhooksSignatureScheme.ComputeSignature(Body, Secret, Id, signedAt);

        Scheme().Verify(Body, StandardWebhooksHeaders.Create(Id, signedAt, signature)).Failure.ShouldBe(WebhookVerificationFailure.TimestampOutOfTolerance);
    }

    [Theory]
    [InlineData(-299)]
    [InlineData(299)]
    public void Timestamp_inside_the_default_tolerance_is_accepted(int offsetSeconds)
    {
        long signedAt = Timestamp + offsetSeconds;
        string signature = StandardWebhooksSignatureScheme.ComputeSignature(Body, Secret, Id, signedAt);

        Scheme().Verify(Body, StandardWebhooksHeaders.Create(Id, signedAt, signature)).ShouldBe(WebhookVerificationResult.Valid);
    }

    [Fact]
    public void Tolerance_follows_the_clock()
    {
        StandardWebhooksSignatureScheme scheme = Scheme();
        WebhookHeaders headers = StandardWebhooksHeaders.Create(Id, Timestamp, Signature);
        scheme.Verify(Body, headers).ShouldBe(WebhookVerificationResult.Valid);

        _clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));

        scheme.Verify(Body, headers).Failure.ShouldBe(WebhookVerificationFailure.TimestampOutOfTolerance);
    }

    [Fact]
    public void Configured_tolerance_is_applied_both_ways()
    {
        StandardWebhooksSignatureScheme scheme = new([Secret], TimeSpan.FromSeconds(30), _clock);
        foreach ((int offset, bool valid) in (ReadOnlySpan<(int, bool)>)[(-29, true), (29, true), (-31, false), (31, false)])
        {
            long signedAt = Timestamp + offset;
            string signature = StandardWebhooksSignatureScheme.ComputeSignature(Body, Secret, Id, signedAt);

            WebhookVerificationResult result = scheme.Verify(Body, StandardWebhooksHeaders.Create(Id, signedAt, signature));

            result.Failure.ShouldBe(valid ? WebhookVerificationFailure.None : WebhookVerificationFailure.TimestampOutOfTolerance, $"offset {offset}s");
        }
    }

    [Fact]
    public void Unknown_versions_and_malformed_entries_are_skipped_and_a_later_valid_entry_accepts()
    {
        string header = string.Join(' ', "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=", "v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=", "v1,@@@", "v1a,xyz", Signature);

        Verify(header).ShouldBe(WebhookVerificationResult.Valid);
    }

    [Fact]
    public void Only_unknown_version_entries_is_HeaderMalformed()
    {
        Verify("v2," + Signature[3..] + " v1a," + Signature[3..]).Failure.ShouldBe(WebhookVerificationFailure.HeaderMalformed);
    }

    [Fact]
    public void Any_active_secret_accepts_during_rotation()
    {
        string retiring = "whsec_" + Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        StandardWebhooksSignatureScheme scheme = new([retiring, Secret], timeProvider: _clock);

        foreach (string secret in (string[])[retiring, Secret])
        {
            string signature = StandardWebhooksSignatureScheme.ComputeSignature(Body, secret, Id, Timestamp);
            scheme.Verify(Body, StandardWebhooksHeaders.Create(Id, Timestamp, signature)).ShouldBe(WebhookVerificationResult.Valid);
        }

        string other = StandardWebhooksSignatureScheme.ComputeSignature(Body, OtherSecret, Id, Timestamp);
        scheme.Verify(Body, StandardWebhooksHeaders.Create(Id, Timestamp, other)).Failure.ShouldBe(WebhookVerificationFailure.NoSecretMatched);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(33)]
    public void Body_split_into_many_segments_verifies_like_the_contiguous_span(int segmentSize)
    {
        byte[] body = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("""{"k":"välue"},""", 200)));
        string signature = StandardWebhooksSignatureScheme.ComputeSignature(body, Secret, Id, Timestamp);
        WebhookHeaders headers = StandardWebhooksHeaders.Create(Id, Timestamp, signature);
        StandardWebhooksSignatureScheme scheme = Scheme();

        ReadOnlySequence<byte> sequence = SegmentedSequence.Chunks(body, segmentSize);
        scheme.Verify(sequence, headers).ShouldBe(scheme.Verify(body, headers));
        scheme.Verify(sequence, headers).ShouldBe(WebhookVerificationResult.Valid);
        scheme.Verify(SegmentedSequence.Chunks(Bits.Flip(body, 1234), segmentSize), headers).Failure.ShouldBe(WebhookVerificationFailure.NoSecretMatched);
    }

    private StandardWebhooksSignatureScheme Scheme() => new([Secret], timeProvider: _clock);

    private WebhookVerificationResult Verify(string signatureHeader) =>
        Scheme().Verify(Body, StandardWebhooksHeaders.Create(Id, Timestamp, signatureHeader));
}
