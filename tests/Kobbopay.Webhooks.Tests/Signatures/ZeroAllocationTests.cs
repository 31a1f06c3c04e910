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
    private static readonly byte[] Body = CreateBody(1024);

    [Theory]
    [InlineData(HmacSha256HexSignatureScheme.SchemeName, true, false)]
    [InlineData(HmacSha256HexSignatureScheme.SchemeName, false, false)]
    [InlineData(StandardWebhooksSignatureScheme.SchemeName, true, false)]
    [InlineData(StandardWebhooksSignatureScheme.SchemeName, false, false)]
    [InlineData(HmacSha256HexSignatureScheme.SchemeName, true, true)]
    [InlineData(HmacSha256HexSignatureScheme.SchemeName, false, true)]
    [InlineData(StandardWebhooksSignatureScheme.SchemeName, true, true)]
    [InlineData(StandardWebhooksSignatureScheme.SchemeName, false, true)]
    public void Verify_allocates_nothing(string schemeName, bool valid, bool multiSegment)
    {
        SchemeDriver driver = SchemeDriver.For(schemeName);
        IWebhookSignatureScheme scheme = driver.Create(new FakeTimeProvider(SchemeDriver.SignedAt), driver.OtherSecret, driver.Secret);
        WebhookHeaders headers = valid ? driver.Sign(Body, driver.Secret) : driver.SignWithFlippedMacBit(Body, driver.Secret, 3);
        WebhookVerificationFailure expected = valid ? WebhookVerificationFailure.None : WebhookVerificationFailure.NoSecretMatched;
        ReadOnlySequence<byte> segments = SegmentedSequence.Chunks(Body, 100);

        AssertNoAllocations(multiSegment
            ? () => scheme.Verify(segments, headers).Failure == expected
            : () => scheme.Verify(Body, headers).Failure == expected);
    }

    [Fact]
    public void Missing_and_malformed_headers_allocate_nothing()
    {
        HmacSha256HexSignatureScheme scheme = new(["kp_whsec_alloc"]);
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
