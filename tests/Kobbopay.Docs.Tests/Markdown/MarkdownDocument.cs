using System.Text.RegularExpressions;

namespace Kobbopay.Docs.Tests.Markdown;

/// <summary>The fenced blocks and relative links of one markdown file.</summary>
internal sealed partial class MarkdownDocument
{
    private MarkdownDocument(string file, IReadOnlyList<FencedBlock> blocks, IReadOnlyList<(int Line, string Target)> links)
    {
        File = file;
        Blocks = blocks;
        Links = links;
    }

    /// <summary>Gets the file, relative to the repository root.</summary>
    public string File { get; }

    /// <summary>Gets the fenced code blocks, in order.</summary>
    public IReadOnlyList<FencedBlock> Blocks { get; }

    /// <summary>Gets the link targets outside code blocks, with their 1-based lines.</summary>
    public IReadOnlyList<(int Line, string Target)> Links { get; }

    /// <summary>Reads README.md, docs/*.md and each package's own README (src/*/README.md).</summary>
    public static IEnumerable<MarkdownDocument> ReadAll() =>
        new[] { "README.md" }
            .Concat(Directory.GetFiles(Path.Combine(Repository.Root, "docs"), "*.md").Order(StringComparer.Ordinal).Select(Relative))
            .Select(Read)
            .Concat(ReadPackageReadmes());

    /// <summary>Reads each package's own README (src/*/README.md), the one packed into its nupkg.</summary>
    public static IEnumerable<MarkdownDocument> ReadPackageReadmes() =>
        Directory.GetDirectories(Path.Combine(Repository.Root, "src"))
            .Select(d => Path.Combine(d, "README.md"))
            .Where(System.IO.File.Exists)
            .Order(StringComparer.Ordinal)
            .Select(Relative)
            .Select(Read);

    /// <summary>Parses markdown text.</summary>
    /// <param name="file">The file's name, for messages.</param>
    /// <param name="lines">Its lines.</param>
    public static MarkdownDocument Parse(string file, IReadOnlyList<string> lines)
    {
        List<FencedBlock> blocks = [];
        List<(int, string)> links = [];
        for (int i = 0; i < lines.Count; i++)
        {
            Match fence = Fence().Match(lines[i]);
            if (!fence.Success)
            {
                links.AddRange(LinkTargets(lines[i]).Select(target => (i + 1, target)));

                continue;
            }

            int indent = fence.Groups["indent"].Length;
            string marks = fence.Groups["marks"].Value;
            int previous = i - 1;
            Match snippet = previous >= 0 ? SnippetMarker().Match(lines[previous]) : Match.Empty;
            List<string> body = [];
            int start = i;
            for (i++; i < lines.Count && !lines[i].TrimStart().StartsWith(marks, StringComparison.Ordinal); i++)
            {
                string line = lines[i];
                int strip = Math.Min(indent, line.Length - line.TrimStart().Length);
                body.Add(line[strip..]);
            }

            blocks.Add(new FencedBlock(file, start + 1, fence.Groups["lang"].Value.Trim(), snippet.Success ? snippet.Groups["path"].Value : null, body));
        }

        return new MarkdownDocument(file, blocks, links);
    }

    private static string Relative(string path) => Path.GetRelativePath(Repository.Root, path).Replace('\\', '/');

    private static MarkdownDocument Read(string file) => Parse(file, System.IO.File.ReadAllLines(Path.Combine(Repository.Root, file)));

    [GeneratedRegex(@"^(?<indent> *)(?<marks>```+)(?<lang>[^`]*)$")]
    private static partial Regex Fence();

    [GeneratedRegex(@"^\s*<!-- snippet: (?<path>\S+) -->\s*$")]
    private static partial Regex SnippetMarker();

    // The targets of [text](target) and ![alt](target) on one line.
    private static IEnumerable<string> LinkTargets(string line)
    {
        for (int at = line.IndexOf("](", StringComparison.Ordinal); at >= 0; at = line.IndexOf("](", at + 2, StringComparison.Ordinal))
        {
            int end = line.IndexOf(')', at + 2);
            if (end > at + 2 && !line.AsSpan(at + 2, end - at - 2).ContainsAny(" \t"))
            {
                yield return line[(at + 2)..end];
            }
        }
    }
}
