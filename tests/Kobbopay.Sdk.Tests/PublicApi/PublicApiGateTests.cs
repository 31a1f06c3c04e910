using Kobbopay.TestUtilities.PublicApi;

namespace Kobbopay.Sdk.Tests.PublicApi;

/// <summary>
/// The public-API gate (PublicApiGenerator with <see cref="PublicApiText"/>'s options, compared by <see cref="ApprovalFile"/>)
/// catches each kind of API change and names the changed lines; approving and stale received files behave.
/// </summary>
public sealed class PublicApiGateTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "kobbopay-approval-" + Guid.NewGuid().ToString("N"));

    public PublicApiGateTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void DescribingSomeTypes_DoesNotNarrowALaterAssembly()
    {
        // PublicApiGenerator's Type[] overload sets IncludeTypes on the options it is given: shared options made
        // every later assembly's text empty, and the approval test failed or passed by test order.
        _ = PublicApiText.Of(typeof(Samples.Before.Gadget));

        PublicApiText.Of(typeof(KobbopayClient).Assembly).ShouldContain("class KobbopayClient");
    }

    [Theory]
    [InlineData(typeof(Samples.SignatureChanged.Gadget), "  - public string Describe(int count) { }", "  + public string Describe(long count) { }")]
    [InlineData(typeof(Samples.MemberAdded.Gadget), null, "  + public void Reset() { }")]
    [InlineData(typeof(Samples.NullabilityChanged.Gadget), "  - public string Describe(int count) { }", "  + public string? Describe(int count) { }")]
    [InlineData(typeof(Samples.ParameterRenamed.Gadget), "  - public string Describe(int count) { }", "  + public string Describe(int amount) { }")]
    public void Verify_ChangedApi_FailsNamingTheChangedLinesAndWritesReceivedFile(Type changed, string? removedLine, string addedLine)
    {
        var approvedPath = Path.Combine(_directory, "Gadget.approved.txt");
        ApprovalFile.Verify(GadgetApi(typeof(Samples.Before.Gadget)), approvedPath, approve: true);

        var error = Should.Throw<ApprovalException>(() => ApprovalFile.Verify(GadgetApi(changed), approvedPath, approve: false));

        error.Message.ShouldContain(addedLine);
        if (removedLine is not null)
        {
            error.Message.ShouldContain(removedLine);
        }

        error.Message.ShouldContain("copy Gadget.received.txt over Gadget.approved.txt");
        error.Message.ShouldContain("KOBBOPAY_APPROVE_API=1");
        File.ReadAllText(Path.Combine(_directory, "Gadget.received.txt")).ShouldBe(GadgetApi(changed));
        File.ReadAllText(approvedPath).ShouldBe(GadgetApi(typeof(Samples.Before.Gadget)));
    }

    [Fact]
    public void Verify_SameApi_PassesAndRemovesAStaleReceivedFile()
    {
        var approvedPath = Path.Combine(_directory, "Gadget.approved.txt");
        var receivedPath = Path.Combine(_directory, "Gadget.received.txt");
        File.WriteAllText(approvedPath, GadgetApi(typeof(Samples.Before.Gadget)).Replace("\n", "\r\n", StringComparison.Ordinal));
        File.WriteAllText(receivedPath, "stale");

        ApprovalFile.Verify(GadgetApi(typeof(Samples.Before.Gadget)), approvedPath, approve: false);

        File.Exists(receivedPath).ShouldBeFalse();
    }

    [Fact]
    public void Verify_NoApprovedFile_FailsAndSaysHowToApprove()
    {
        var approvedPath = Path.Combine(_directory, "New.approved.txt");

        var error = Should.Throw<ApprovalException>(() => ApprovalFile.Verify("api\n", approvedPath, approve: false));

        error.Message.ShouldContain("There is no approved file New.approved.txt yet.");
        error.Message.ShouldContain("KOBBOPAY_APPROVE_API=1");
        File.Exists(Path.Combine(_directory, "New.received.txt")).ShouldBeTrue();
    }

    [Fact]
    public void Verify_ApproveMode_WritesTheApprovedFileAndPasses()
    {
        var approvedPath = Path.Combine(_directory, "Gadget.approved.txt");
        ApprovalFile.Verify(GadgetApi(typeof(Samples.Before.Gadget)), approvedPath, approve: true);

        ApprovalFile.Verify(GadgetApi(typeof(Samples.MemberAdded.Gadget)), approvedPath, approve: true);

        File.ReadAllText(approvedPath).ShouldBe(GadgetApi(typeof(Samples.MemberAdded.Gadget)));
        ApprovalFile.Verify(GadgetApi(typeof(Samples.MemberAdded.Gadget)), approvedPath, approve: false);
    }

    [Fact]
    public void ResolveSourceDirectory_DeterministicBuildPath_FindsTheSourceFolder()
    {
        // CI builds (ContinuousIntegrationBuild) map source paths to /_/, and [CallerFilePath] records the mapped path.
        var directory = ApprovalFile.ResolveSourceDirectory("/_/tests/Kobbopay.Sdk.Tests/PublicApi/PublicApiGateTests.cs");

        File.Exists(Path.Combine(directory, "PublicApiGateTests.cs")).ShouldBeTrue();
    }


    /// <summary>Writes one version of Gadget with its namespace removed, so versions compare line by line.</summary>
    private static string GadgetApi(Type gadget)
        => PublicApiText.Of(gadget).Replace(gadget.Namespace!, "Samples", StringComparison.Ordinal);
}
