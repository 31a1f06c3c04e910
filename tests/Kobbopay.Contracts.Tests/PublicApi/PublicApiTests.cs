using Kobbopay.Sdk;
using Kobbopay.TestUtilities.PublicApi;

namespace Kobbopay.Contracts.Tests.PublicApi;

/// <summary>
/// Guards the public surface of the Kobbopay.Contracts package: a change must come with an updated
/// <c>Kobbopay.Contracts.approved.txt</c>, reviewed with the code (run the tests with <c>KOBBOPAY_APPROVE_API=1</c> to approve).
/// </summary>
public sealed class PublicApiTests
{
    [Fact]
    public void KobbopayContracts_PublicApi_MatchesApprovedFile()
    {
        var api = PublicApiText.Of(typeof(Payment).Assembly);

        ApprovalFile.Verify(api, "Kobbopay.Contracts");
    }
}
