using Kobbopay.TestUtilities.PublicApi;

namespace Kobbopay.Webhooks.Tests.PublicApi;

/// <summary>
/// Guards the public surface of the Kobbopay.Webhooks package: a change must come with an updated
/// <c>Kobbopay.Webhooks.approved.txt</c>. To approve, copy the received file over it, or run the
/// tests with <c>KOBBOPAY_APPROVE_API=1</c>.
/// </summary>
public sealed class PublicApiTests
{
    [Fact]
    public void KobbopayWebhooks_PublicApi_MatchesApprovedFile()
    {
        var api = PublicApiText.Of(typeof(IWebhookSignatureScheme).Assembly);

        ApprovalFile.Verify(api, "Kobbopay.Webhooks");
    }
}
