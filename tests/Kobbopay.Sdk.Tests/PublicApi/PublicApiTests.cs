using Kobbopay.TestUtilities.PublicApi;

namespace Kobbopay.Sdk.Tests.PublicApi;

/// <summary>
/// Guards the public surface of the Kobbopay.Sdk package: any change to it must come with an updated
/// <c>Kobbopay.Sdk.approved.txt</c>, reviewed with the code. To approve a change, copy
/// <c>Kobbopay.Sdk.received.txt</c> over the approved file, or run the tests with <c>KOBBOPAY_APPROVE_API=1</c>.
/// </summary>
public sealed class PublicApiTests
{
    [Fact]
    public void KobbopaySdk_PublicApi_MatchesApprovedFile()
    {
        var api = PublicApiText.Of(typeof(KobbopayClient).Assembly);

        ApprovalFile.Verify(api, "Kobbopay.Sdk");
    }
}
