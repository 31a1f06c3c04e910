using System.Buffers;
using Kobbopay.Webhooks.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Kobbopay.Webhooks.Tests.Signatures;

/// <summary>
/// Verification allocates nothing per call once warm. <see cref="GC.GetAllocatedBytesForCurrentThread"/> is an exact
/// count of this thread's managed allocations, so this is deterministic, not a timing test.
/// </summary>
public sealed class ZeroAllocationTests
{
    private const int Iterations = 1_000;
    private const string HexSecret = "kp_whsec_alloc";
    private const string OtherHexSecret = "kp_whsec_alloc_other";
    private const string StandardSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string OtherStandardSecret = "whsec_c2VjcmV0LWtleS1mb3ItdGhlLWtub3duLWFuc3dlcnMh";
    private const string Id = "evt_alloc";
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Body = CreateBody(1024);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Hmac_sha256_hex_Verify_of_a_span_allocates_nothing(bool valid)
    {
        HmacSha256HexSignatureScheme scheme = new([OtherHexSecret, HexSecret]);
        WebhookHeaders headers = new([new("x-signature", HmacSha256HexSignatureScheme.ComputeSignature(Body, valid ? HexSecret : "kp_whsec_forged"))]);
        WebhookVerificationFailure expected = valid ? WebhookVerificationFailure.None : WebhookVerificationFailure.NoSecretMatched;

        AssertNoAllocations(() => scheme.Verify(Body, headers).Failure == expected);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Standard_Webhooks_Verify_of_a_span_allocates_nothing(bool valid)
    {
        FakeTimeProvider clock = new(Now);
        StandardWebhooksSignatureScheme scheme = new([OtherStandardSecret, StandardSecret], timeProvider: clock);
        string signature = valid
            ? StandardWebhooksSignatureScheme.ComputeSignature(Body, StandardSecret, Id, Now.ToUnixTimeSeconds())
            : Bits.FlipStandardWebhooksMac(StandardWebhooksSignatureScheme.ComputeSignature(Body, StandardSecret, Id, Now.ToUnixTimeSeconds()), 3);
        WebhookHeaders headers = StandardWebhooksHeaders.Create(Id, Now.ToUnixTimeSeconds(), signature);
        WebhookVerificationFailure expected = valid ? WebhookVerificationFailure.None : WebhookVerificationFailure.NoSecretMatched;

        AssertNoAllocations(() => scheme.Verify(Body, headers).Failure == expected);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Verify_of_a_multi_segment_sequence_allocates_nothing(bool valid)
    {
        ReadOnlySequence<byte> sequence = SegmentedSequence.Chunks(Body, 100);
        HmacSha256HexSignatureScheme hex = new([HexSecret]);
        WebhookHeaders hexHeaders = new([new("x-signature", HmacSha256HexSignatureScheme.ComputeSignature(Body, valid ? HexSecret : "kp_whsec_forged"))]);
        StandardWebhooksSignatureScheme standard = new([StandardSecret], timeProvider: new FakeTimeProvider(Now));
        WebhookHeaders standardHeaders = StandardWebhooksHeaders.Create(
            Id, Now.ToUnixTimeSeconds(), StandardWebhooksSignatureScheme.ComputeSignature(Body, valid ? StandardSecret : OtherStandardSecret, Id, Now.ToUnixTimeSeconds()));

        AssertNoAllocations(() => hex.Verify(sequence, hexHeaders).IsValid == valid && standard.Verify(sequence, standardHeaders).IsValid == valid);
    }

    [Fact]
    public void Missing_and_malformed_headers_allocate_nothing()
    {
        HmacSha256HexSignatureScheme scheme = new([HexSecret]);
        WebhookHeaders missing = new();
        WebhookHeaders malformed = new([new("x-signature", "nothex nothex2 sha256=zz")]);

        AssertNoAllocations(() =>
            scheme.Verify(Body, missing).Failure == WebhookVerificationFailure.HeaderMissing
            && scheme.Verify(Body, malformed).Failure == WebhookVerificationFailure.HeaderMalformed);
    }

    private static void AssertNoAllocations(Func<bool> verify)
    {
        // Warm up: JIT, tiering and the scheme's per-secret HMAC states.
        for (int i = 0; i < 200; i++)
        {
            verify().ShouldBeTrue("the verification under test did not give the expected result");
        }

        int wrong = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Iterations; i++)
        {
            if (!verify())
            {
                wrong++;
            }
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        wrong.ShouldBe(0);
        allocated.ShouldBe(0L, $"{Iterations} verifications allocated {allocated} bytes ({allocated / (double)Iterations:0.#} per call)");
    }

    private static byte[] CreateBody(int length)
    {
        byte[] body = new byte[length];
        for (int i = 0; i < length; i++)
        {
            body[i] = (byte)(' ' + (i % 90));
        }

        return body;
    }
}
