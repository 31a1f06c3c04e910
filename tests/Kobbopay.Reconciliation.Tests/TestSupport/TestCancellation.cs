namespace Kobbopay.Reconciliation.Tests.TestSupport;

/// <summary>The running test's cancellation token, imported statically by every test file.</summary>
internal static class TestCancellation
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;
}
