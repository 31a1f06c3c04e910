using Kobbopay.AspNetCore.Internal;
using Microsoft.AspNetCore.Http;

namespace Kobbopay.AspNetCore.Tests;

/// <summary>The adapter the signature schemes read request headers through.</summary>
public sealed class HttpRequestWebhookHeadersTests
{
    [Fact]
    public void ReadsHeadersCaseInsensitively_AndAnAbsentOneAsNull()
    {
        HeaderDictionary headers = new() { ["X-Signature"] = "abc" };
        HttpRequestWebhookHeaders adapter = new(headers);

        adapter.GetHeader("x-signature").ShouldBe("abc");
        adapter.GetHeader("webhook-id").ShouldBeNull();
        typeof(HttpRequestWebhookHeaders).IsValueType.ShouldBeTrue();
    }

    [Fact]
    public void AHeaderSentOnSeveralLines_IsJoinedWithASpace_SoBothSchemesSeeSeparateEntries()
    {
        HeaderDictionary headers = new() { ["webhook-signature"] = new(["v1,AAAA", "v1,BBBB"]) };

        new HttpRequestWebhookHeaders(headers).GetHeader("webhook-signature").ShouldBe("v1,AAAA v1,BBBB");
    }

    [Fact]
    public void VerifyingThroughTheAdapter_AllocatesNothing()
    {
        byte[] body = Payloads.Event("evt_alloc");
        HmacSha256HexSignatureScheme scheme = new([Payloads.OtherSecret, Payloads.Secret]);
        HeaderDictionary headers = new() { ["x-signature"] = HmacSha256HexSignatureScheme.ComputeSignature(body, Payloads.Secret) };
        HttpRequestWebhookHeaders adapter = new(headers);
        scheme.Verify(body.AsSpan(), adapter).IsValid.ShouldBeTrue();

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            scheme.Verify(body.AsSpan(), adapter);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).ShouldBe(0);
    }
}
