using Kobbopay.TestUtilities.PublicApi;

namespace Kobbopay.AspNetCore.Tests.PublicApi;

/// <summary>
/// Guards the public surface of the Kobbopay.AspNetCore package: any change to it must come with an updated
/// <c>Kobbopay.AspNetCore.approved.txt</c>, reviewed with the code. To approve a change, copy
/// <c>Kobbopay.AspNetCore.received.txt</c> over the approved file, or run the tests with <c>KOBBOPAY_APPROVE_API=1</c>.
/// </summary>
public sealed class PublicApiTests
{
    [Fact]
    public void KobbopayAspNetCore_PublicApi_MatchesApprovedFile()
    {
        var api = PublicApiText.Of(typeof(KobbopayWebhookOptions).Assembly);

        ApprovalFile.Verify(api, "Kobbopay.AspNetCore");
    }
}
