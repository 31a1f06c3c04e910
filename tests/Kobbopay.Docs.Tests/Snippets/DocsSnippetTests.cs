using Kobbopay.Docs.Tests.Markdown;

namespace Kobbopay.Docs.Tests.Snippets;

/// <summary>Every C# block of README.md, docs/*.md and each package's README (src/*/README.md) is code CI compiles (samples/Kobbopay.Samples.Snippets), word for word.</summary>
public sealed class DocsSnippetTests
{
    /// <summary>Gets each C# block, and each other block with a snippet marker, by <c>file:line</c>.</summary>
    public static TheoryData<string> Blocks() =>
        [.. MarkdownDocument.ReadAll().SelectMany(d => d.Blocks).Where(b => b.IsCSharp || b.Snippet is not null).Select(b => b.ToString())];

    [Theory]
    [MemberData(nameof(Blocks))]
    public void Block_is_the_text_of_its_snippet_file(string block)
    {
        FencedBlock found = MarkdownDocument.ReadAll().SelectMany(d => d.Blocks).Single(b => b.ToString() == block);

        string? problem = Check(found);

        Assert.True(problem is null, problem);
    }

    [Fact]
    public void A_csharp_block_without_a_marker_fails_naming_the_file_and_line()
    {
        FencedBlock block = MarkdownDocument.Parse("README.md", ["intro", "```csharp", "var x = 1;", "```"]).Blocks.Single();

        Check(block).ShouldBe("README.md:2: a C# block names no file; put <!-- snippet: path[#region] --> on the line before it (the path relative to the repository root).");
    }

    [Fact]
    public void A_block_that_differs_from_its_file_fails_with_the_first_differing_line()
    {
        string[] markdown =
        [
            "<!-- snippet: samples/Kobbopay.Samples.Snippets/Order.cs -->",
            "```csharp",
            "namespace Shop;",
            "",
            "public sealed record Order(string Id, double Total);",
            "```",
        ];
        FencedBlock block = MarkdownDocument.Parse("README.md", markdown).Blocks.Single();

        Check(block).ShouldBe(
            "README.md:2: the block differs from samples/Kobbopay.Samples.Snippets/Order.cs at the block's line 3 (README.md line 5)\n"
            + "  docs: public sealed record Order(string Id, double Total);\n"
            + "  file: public sealed record Order(string Id, decimal Total);");
    }

    [Fact]
    public void An_indented_block_is_compared_without_its_indentation_and_a_region_without_its_own()
    {
        string[] markdown =
        [
            "- in a list:",
            "  <!-- snippet: samples/Kobbopay.Samples.Snippets/Webhooks/VerificationMiddleware.cs#middleware -->",
            "  ```csharp",
            "  app.UseKobbopayWebhookVerification(\"/hooks\");      // before anything that reads the body",
            "  app.MapPost(\"/hooks/kobbopay\", (KobbopayWebhookContext hook) => Results.Ok());",
            "  ```",
        ];
        FencedBlock block = MarkdownDocument.Parse("README.md", markdown).Blocks.Single();

        Check(block).ShouldBeNull();
    }

    [Fact]
    public void A_marker_naming_a_missing_region_fails_saying_so()
    {
        FencedBlock block = MarkdownDocument.Parse("docs/x.md", ["<!-- snippet: samples/Kobbopay.Samples.Snippets/Order.cs#nope -->", "```csharp", "x", "```"]).Blocks.Single();

        Check(block).ShouldBe("docs/x.md:2: samples/Kobbopay.Samples.Snippets/Order.cs has 0 lines '// snippet: nope' (one is needed)");
    }

    private static string? Check(FencedBlock block)
    {
        if (block.Snippet is null)
        {
            return $"{block}: a C# block names no file; put <!-- snippet: path[#region] --> on the line before it (the path relative to the repository root).";
        }

        if (SnippetSource.TryRead(block.Snippet, out IReadOnlyList<string> source) is { } missing)
        {
            return $"{block}: {missing}";
        }

        if (SnippetSource.FirstDifference(block.Lines, source) is not { } at)
        {
            return null;
        }

        string path = block.Snippet.Split('#')[0];
        return $"{block}: the block differs from {path} at the block's line {at + 1} ({block.File} line {block.Line + at + 1})\n"
            + $"  docs: {(at < block.Lines.Count ? block.Lines[at] : "(the block ends)")}\n"
            + $"  file: {(at < source.Count ? source[at] : "(the file ends)")}";
    }
}
