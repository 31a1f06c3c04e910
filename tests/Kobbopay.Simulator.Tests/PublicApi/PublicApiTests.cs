using Kobbopay.TestUtilities.PublicApi;

namespace Kobbopay.Simulator.Tests.PublicApi;

/// <summary>
/// Guards the public surface of the Kobbopay.Simulator library package (what merchants' tests call): a change must come
/// with an updated <c>Kobbopay.Simulator.approved.txt</c>, reviewed with the code (<c>KOBBOPAY_APPROVE_API=1</c> approves).
/// </summary>
public sealed class PublicApiTests
{
    [Fact]
    public void KobbopaySimulator_PublicApi_MatchesApprovedFile() =>
        ApprovalFile.Verify(PublicApiText.Of(typeof(KobbopaySimulator).Assembly), "Kobbopay.Simulator");
}
