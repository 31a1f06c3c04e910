using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Kobbopay.TestUtilities.PublicApi;

/// <summary>
/// Compares text with an approved file checked in next to the calling test's source file.
/// </summary>
/// <remarks>
/// On a mismatch (or when there is no approved file yet) the text is written to <c>{name}.received.txt</c> next to
/// <c>{name}.approved.txt</c> and an <see cref="ApprovalException"/> explains how to approve it. With the environment
/// variable <c>KOBBOPAY_APPROVE_API=1</c> the approved file is written directly instead. Line endings are compared as
/// <c>\n</c>, and files are written as UTF-8 without a byte order mark.
/// </remarks>
public static partial class ApprovalFile
{
    /// <summary>The environment variable that, set to <c>1</c>, writes the approved file instead of comparing.</summary>
    public const string ApproveVariable = "KOBBOPAY_APPROVE_API";

    private const string ApprovedSuffix = ".approved.txt";
    private const string ReceivedSuffix = ".received.txt";

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// Checks <paramref name="received"/> against <c>{name}.approved.txt</c> in the folder of the calling source file.
    /// </summary>
    /// <param name="received">The text produced by the test.</param>
    /// <param name="name">The file name stem, e.g. <c>Kobbopay.Sdk</c>.</param>
    /// <param name="callerFilePath">Filled in by the compiler: the calling source file.</param>
    /// <exception cref="ApprovalException">The text differs from the approved file, or there is none.</exception>
    public static void Verify(string received, string name, [CallerFilePath] string callerFilePath = "")
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var directory = ResolveSourceDirectory(callerFilePath);
        Verify(received, Path.Combine(directory, name + ApprovedSuffix), IsApproveRequested());
    }

    /// <summary>Checks <paramref name="received"/> against the approved file at <paramref name="approvedPath"/>.</summary>
    /// <param name="received">The text produced by the test.</param>
    /// <param name="approvedPath">The full path of the approved file; its name should end in <c>.approved.txt</c>.</param>
    /// <param name="approve"><see langword="true"/> writes the approved file (and passes) instead of comparing.</param>
    /// <exception cref="ApprovalException">The text differs from the approved file, or there is none.</exception>
    public static void Verify(string received, string approvedPath, bool approve)
    {
        ArgumentNullException.ThrowIfNull(received);
        ArgumentException.ThrowIfNullOrEmpty(approvedPath);
        received = Normalize(received);
        var receivedPath = ReceivedPathFor(approvedPath);

        if (approve)
        {
            File.WriteAllText(approvedPath, received, Utf8NoBom);
            File.Delete(receivedPath);
            return;
        }

        string? approved = File.Exists(approvedPath) ? Normalize(File.ReadAllText(approvedPath)) : null;
        if (string.Equals(approved, received, StringComparison.Ordinal))
        {
            File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, received, Utf8NoBom);
        throw new ApprovalException(Explain(approved, received, approvedPath, receivedPath));
    }

    /// <summary>Gets whether <c>KOBBOPAY_APPROVE_API</c> is set to <c>1</c> (or <c>true</c>).</summary>
    /// <returns><see langword="true"/> when approved files should be written.</returns>
    public static bool IsApproveRequested()
        => Environment.GetEnvironmentVariable(ApproveVariable) is "1" or "true" or "TRUE" or "True";

    /// <summary>Gets the received-file path that belongs to an approved-file path.</summary>
    /// <param name="approvedPath">The approved file's path.</param>
    /// <returns><c>{name}.received.txt</c> in the same folder.</returns>
    public static string ReceivedPathFor(string approvedPath)
    {
        ArgumentNullException.ThrowIfNull(approvedPath);
        return approvedPath.EndsWith(ApprovedSuffix, StringComparison.OrdinalIgnoreCase)
            ? approvedPath[..^ApprovedSuffix.Length] + ReceivedSuffix
            : approvedPath + ReceivedSuffix;
    }

    /// <summary>
    /// Finds the folder of a source file named by <see cref="CallerFilePathAttribute"/>. Deterministic (CI) builds map
    /// source paths to <c>/_/…</c>; such a path is looked up under the folders above the test binaries instead.
    /// </summary>
    /// <param name="callerFilePath">The path the compiler recorded.</param>
    /// <returns>The folder that holds the source file.</returns>
    /// <exception cref="InvalidOperationException">The source file cannot be found on this machine.</exception>
    public static string ResolveSourceDirectory(string callerFilePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(callerFilePath);
        if (File.Exists(callerFilePath))
        {
            return Path.GetDirectoryName(Path.GetFullPath(callerFilePath))!;
        }

        var relative = MappedRoot().Replace(callerFilePath, string.Empty, 1)
            .Replace('\\', Path.DirectorySeparatorChar).Replace('/', Path.DirectorySeparatorChar);
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, relative);
            if (File.Exists(candidate))
            {
                return Path.GetDirectoryName(candidate)!;
            }
        }

        throw new InvalidOperationException(
            $"Cannot find the source file '{callerFilePath}' (looked for '{relative}' above '{AppContext.BaseDirectory}'). " +
            "Approval tests must run from a source checkout.");
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    private static string Explain(string? approved, string received, string approvedPath, string receivedPath)
    {
        var approvedName = Path.GetFileName(approvedPath);
        var receivedName = Path.GetFileName(receivedPath);
        var message = new StringBuilder();
        message.Append(approved is null
            ? $"There is no approved file {approvedName} yet."
            : $"The text differs from the approved file {approvedName}.");
        message.Append('\n');
        message.Append("  approved: ").Append(approvedPath).Append('\n');
        message.Append("  received: ").Append(receivedPath).Append('\n');

        if (approved is not null)
        {
            message.Append(Difference(approved, received));
        }

        message.Append("If the change is intended, approve it and commit the approved file: either copy ")
            .Append(receivedName).Append(" over ").Append(approvedName)
            .Append(", or run the tests with ").Append(ApproveVariable).Append("=1 (for example `")
            .Append(ApproveVariable).Append("=1 dotnet test`), which writes the approved file directly.");
        return message.ToString();
    }

    /// <summary>Lists the lines only in the approved text (-) and only in the received text (+), at most 40.</summary>
    private static string Difference(string approved, string received)
    {
        var approvedLines = approved.Split('\n');
        var receivedLines = received.Split('\n');
        var removed = Subtract(approvedLines, receivedLines).Select(l => "  - " + l.Trim());
        var added = Subtract(receivedLines, approvedLines).Select(l => "  + " + l.Trim());
        var lines = removed.Concat(added).ToList();
        const int Limit = 40;
        var builder = new StringBuilder();
        foreach (var line in lines.Take(Limit))
        {
            builder.Append(line).Append('\n');
        }

        if (lines.Count > Limit)
        {
            builder.Append("  … and ").Append(lines.Count - Limit).Append(" more changed lines\n");
        }

        return builder.ToString();
    }

    private static List<string> Subtract(string[] from, string[] other)
    {
        var remaining = other.GroupBy(l => l, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var result = new List<string>();
        foreach (var line in from)
        {
            if (remaining.TryGetValue(line, out var count) && count > 0)
            {
                remaining[line] = count - 1;
            }
            else if (line.Length > 0)
            {
                result.Add(line);
            }
        }

        return result;
    }

    [GeneratedRegex(@"^[/\\]_\d*[/\\]")]
    private static partial Regex MappedRoot();
}
