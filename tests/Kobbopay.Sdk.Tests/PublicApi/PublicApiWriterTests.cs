using Kobbopay.Sdk.Tests.PublicApi.Samples;
using Kobbopay.TestUtilities.PublicApi;

namespace Kobbopay.Sdk.Tests.PublicApi;

/// <summary>Shows what <see cref="PublicApiWriter"/> writes and that <see cref="ApprovalFile"/> catches API changes.</summary>
public sealed class PublicApiWriterTests : IDisposable
{
    private const string SamplesNamespace = "Kobbopay.Sdk.Tests.PublicApi.Samples";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "kobbopay-approval-" + Guid.NewGuid().ToString("N"));

    public PublicApiWriterTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Write_SampleTypes_WritesEverySignatureInFull()
    {
        var text = PublicApiWriter.Write(SampleTypes());

        text.ShouldBe(
            """
            namespace Kobbopay.Sdk.Tests.PublicApi.Samples
            {
                public interface IWidgetStore<in TKey, TValue> where TKey : notnull where TValue : class?
                {
                    TValue? Find(TKey key);
                    System.Threading.Tasks.Task SaveAsync(TKey key, TValue value, System.Threading.CancellationToken cancellationToken);
                }

                [System.Obsolete("Use Widget.")]
                public sealed class OldWidget
                {
                    public OldWidget();
                    public static T Create<T>(System.Func<T> factory) where T : Kobbopay.Sdk.Tests.PublicApi.Samples.Widget, new();
                }

                public class Widget
                {
                    public static readonly System.TimeSpan DefaultDelay;
                    public const string DefaultName = "widget";
                    public int Version;
                    protected Widget();
                    public Widget(string name);
                    public int Count { get; protected set; }
                    public string? Description { get; set; }
                    protected virtual bool IsFrozen { get; }
                    public string this[int index] { get; }
                    public string Name { get; }
                    public required System.Collections.Generic.Dictionary<string, int?> Scores { get; set; }
                    public System.Collections.Generic.IReadOnlyList<string?> Tags { get; init; }
                    public event System.EventHandler<string>? Renamed;
                    public virtual System.Threading.Tasks.Task<string> DescribeAsync(int count, string? prefix = null, System.Threading.CancellationToken cancellationToken = default);
                    public (string Name, int Count) Pair();
                    protected void Reachable();
                    public static int Sum(params int[] values);
                    public override string ToString();
                    public bool TryGet(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value);
                    public void Update(ref int version, in System.DateTimeOffset at, Kobbopay.Sdk.Tests.PublicApi.Samples.WidgetFlags flags = Kobbopay.Sdk.Tests.PublicApi.Samples.WidgetFlags.Both);
                }

                public delegate void WidgetCallback(Kobbopay.Sdk.Tests.PublicApi.Samples.Widget widget, string? reason);

                [System.Diagnostics.CodeAnalysis.Experimental("KPAY9999")]
                public static class WidgetExtensions
                {
                    public static Kobbopay.Sdk.Tests.PublicApi.Samples.Widget Rename(this Kobbopay.Sdk.Tests.PublicApi.Samples.Widget widget, string name);
                }

                [System.Flags]
                public enum WidgetFlags : byte
                {
                    None = 0,
                    Red = 1,
                    Blue = 2,
                    Both = 3,
                }

                public readonly struct WidgetSize : System.IEquatable<Kobbopay.Sdk.Tests.PublicApi.Samples.WidgetSize>
                {
                    public WidgetSize(int value);
                    public int Value { get; }
                    public bool Equals(Kobbopay.Sdk.Tests.PublicApi.Samples.WidgetSize other);
                    public override bool Equals(object? obj);
                    public override int GetHashCode();
                    public static Kobbopay.Sdk.Tests.PublicApi.Samples.WidgetSize operator +(Kobbopay.Sdk.Tests.PublicApi.Samples.WidgetSize left, Kobbopay.Sdk.Tests.PublicApi.Samples.WidgetSize right);
                    public static bool operator ==(Kobbopay.Sdk.Tests.PublicApi.Samples.WidgetSize left, Kobbopay.Sdk.Tests.PublicApi.Samples.WidgetSize right);
                    public static implicit operator int(Kobbopay.Sdk.Tests.PublicApi.Samples.WidgetSize size);
                    public static bool operator !=(Kobbopay.Sdk.Tests.PublicApi.Samples.WidgetSize left, Kobbopay.Sdk.Tests.PublicApi.Samples.WidgetSize right);
                }
            }

            """);
    }

    [Fact]
    public void Write_SampleTypes_LeavesOutWhatCallersCannotSee()
    {
        var text = PublicApiWriter.Write(SampleTypes());

        text.ShouldNotContain("InternalWidget");
        text.ShouldNotContain("Hidden");
        text.ShouldNotContain("NotReachable");
        text.ShouldNotContain("Widget(int hidden)");
        text.ShouldNotContain("CompilerFeatureRequired");
    }

    [Fact]
    public void Write_CalledTwice_GivesIdenticalTextWithUnixLineEndings()
    {
        var first = PublicApiWriter.Write(typeof(Widget).Assembly);
        var second = PublicApiWriter.Write(typeof(Widget).Assembly);

        second.ShouldBe(first);
        first.ShouldNotContain("\r");
        first.ShouldStartWith("// Public API of Kobbopay.Sdk.Tests.");
        first.ShouldEndWith("}\n");
    }

    [Theory]
    [InlineData(typeof(Samples.SignatureChanged.Gadget), "  - public string Describe(int count);", "  + public string Describe(long count);")]
    [InlineData(typeof(Samples.MemberAdded.Gadget), null, "  + public void Reset();")]
    [InlineData(typeof(Samples.NullabilityChanged.Gadget), "  - public string Describe(int count);", "  + public string? Describe(int count);")]
    [InlineData(typeof(Samples.ParameterRenamed.Gadget), "  - public string Describe(int count);", "  + public string Describe(int amount);")]
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
        var directory = ApprovalFile.ResolveSourceDirectory("/_/tests/Kobbopay.Sdk.Tests/PublicApi/PublicApiWriterTests.cs");

        File.Exists(Path.Combine(directory, "PublicApiWriterTests.cs")).ShouldBeTrue();
    }

    private static IEnumerable<Type> SampleTypes()
        => typeof(Widget).Assembly.GetTypes().Where(t => t.Namespace == SamplesNamespace);

    /// <summary>Writes one version of Gadget with its namespace removed, so versions compare line by line.</summary>
    private static string GadgetApi(Type gadget)
        => PublicApiWriter.Write([gadget]).Replace(gadget.Namespace!, "Samples", StringComparison.Ordinal);
}
