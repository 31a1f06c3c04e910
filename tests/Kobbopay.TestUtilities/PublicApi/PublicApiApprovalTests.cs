using System.Reflection;
using System.Runtime.CompilerServices;
using Xunit;

namespace Kobbopay.TestUtilities.PublicApi;

/// <summary>
/// The public-API gate of one shipped package: its surface, as <see cref="PublicApiText"/> prints it, must equal
/// <c>{assembly name}.approved.txt</c> next to the deriving test's source file. A change to the surface comes with an
/// updated approved file, reviewed with the code: copy the <c>.received.txt</c> file over it, or run the tests with
/// <c>KOBBOPAY_APPROVE_API=1</c>.
/// </summary>
/// <param name="assembly">The package's assembly.</param>
/// <param name="callerFilePath">Filled in by the compiler: the deriving test's source file, whose folder holds the approved file.</param>
public abstract class PublicApiApprovalTests(Assembly assembly, [CallerFilePath] string callerFilePath = "")
{
    /// <summary>Compares the package's public API with its approved file.</summary>
    [Fact]
    public void PublicApi_MatchesApprovedFile() =>
        ApprovalFile.Verify(PublicApiText.Of(assembly), assembly.GetName().Name!, callerFilePath);
}
