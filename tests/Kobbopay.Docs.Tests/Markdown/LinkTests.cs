using System.Text.RegularExpressions;

namespace Kobbopay.Docs.Tests.Markdown;

/// <summary>The docs' relative links point at files and folders of the repository, and their anchors at headings.</summary>
public sealed partial class LinkTests
{
    [Fact]
    public void Every_relative_link_in_the_docs_points_at_a_file_of_the_repository_and_an_existing_heading()
    {
        List<string> broken = [];
        foreach (MarkdownDocument document in MarkdownDocument.ReadAll())
        {
            string folder = Path.GetDirectoryName(Path.Combine(Repository.Root, document.File))!;
            foreach ((int line, string target) in document.Links)
            {
                if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
                {
                    continue;
                }

                string[] parts = target.Split('#', 2);
                string path = parts[0].Length == 0 ? Path.Combine(Repository.Root, document.File) : Path.GetFullPath(Path.Combine(folder, Uri.UnescapeDataString(parts[0])));
                if (!File.Exists(path) && !Directory.Exists(path))
                {
                    broken.Add($"{document.File}:{line}: {target} (no such file)");
                }
                else if (parts.Length == 2 && path.EndsWith(".md", StringComparison.Ordinal) && !Anchors(path).Contains(parts[1]))
                {
                    broken.Add($"{document.File}:{line}: {target} (no such heading)");
                }
            }
        }

        broken.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("## Your first webhook, locally", "your-first-webhook-locally")]
    [InlineData("### QA: stubs beside the lifecycle, mapping files, reset", "qa-stubs-beside-the-lifecycle-mapping-files-reset")]
    [InlineData("### Scheduled: `AddKobbopayReconciliation`", "scheduled-addkobbopayreconciliation")]
    public void A_heading_anchor_is_the_slug_GitHub_gives_it(string heading, string anchor) =>
        Anchors([heading]).ShouldBe([anchor]);

    private static HashSet<string> Anchors(string markdownPath) => Anchors(File.ReadAllLines(markdownPath));

    // GitHub's slug: lower case, punctuation but '-' and '_' dropped, each space a '-'.
    private static HashSet<string> Anchors(IEnumerable<string> lines) =>
        [.. lines.Select(l => Heading().Match(l)).Where(m => m.Success).Select(m => Punctuation().Replace(m.Groups["text"].Value.Trim().ToLowerInvariant(), string.Empty).Replace(' ', '-'))];

    [GeneratedRegex(@"^#{1,6} (?<text>.+)$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"[^\p{L}\p{N} _-]")]
    private static partial Regex Punctuation();
}
