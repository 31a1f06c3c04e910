namespace Kobbopay.Docs.Tests.Markdown;

/// <summary>
/// Each package's own README (src/*/README.md) is read inside its nupkg, on a package page, where a link relative to
/// the repository leads nowhere: it links absolutely or names the file in words.
/// </summary>
public sealed class PackageReadmeTests
{
    /// <summary>Gets each package README, relative to the repository root.</summary>
    public static TheoryData<string> PackageReadmes() => [.. MarkdownDocument.ReadPackageReadmes().Select(d => d.File)];

    [Theory]
    [MemberData(nameof(PackageReadmes))]
    public void A_package_readme_has_no_relative_links(string file)
    {
        MarkdownDocument document = MarkdownDocument.ReadPackageReadmes().Single(d => d.File == file);

        RelativeLinks(document).ShouldBeEmpty();
    }

    [Fact]
    public void Package_readmes_are_found_for_the_shipped_packages()
    {
        string[] files = [.. MarkdownDocument.ReadPackageReadmes().Select(d => d.File)];

        files.ShouldContain("src/Kobbopay.Sdk/README.md");
        files.ShouldContain("src/Kobbopay.AspNetCore/README.md");
    }

    [Fact]
    public void A_relative_link_or_image_is_reported_with_its_line_and_an_absolute_one_is_not()
    {
        MarkdownDocument document = MarkdownDocument.Parse(
            "src/Kobbopay.X/README.md",
            ["# Kobbopay.X", "See [the docs](../../docs/simulator.md) and [the site](https://example.org/x).", "![icon](images/icon.png)", "[top](#kobbopayx)"]);

        RelativeLinks(document).ShouldBe(
        [
            "src/Kobbopay.X/README.md:2: ../../docs/simulator.md",
            "src/Kobbopay.X/README.md:3: images/icon.png",
            "src/Kobbopay.X/README.md:4: #kobbopayx",
        ]);
    }

    private static string[] RelativeLinks(MarkdownDocument document) =>
        [.. document.Links
            .Where(l => !l.Target.Contains("://", StringComparison.Ordinal) && !l.Target.StartsWith("mailto:", StringComparison.Ordinal))
            .Select(l => $"{document.File}:{l.Line}: {l.Target}")];
}
