namespace Kobbopay.Docs.Tests.Markdown;

/// <summary>A fenced code block of a markdown file, its indentation removed.</summary>
/// <param name="File">The markdown file, relative to the repository root.</param>
/// <param name="Line">The 1-based line of the opening fence.</param>
/// <param name="Language">The fence's info string (<c>csharp</c>, <c>bash</c>, ...), empty when none.</param>
/// <param name="Snippet">The <c>&lt;!-- snippet: path[#region] --&gt;</c> on the line before the fence, or <see langword="null"/>.</param>
/// <param name="Lines">The block's lines between the fences.</param>
internal sealed record FencedBlock(string File, int Line, string Language, string? Snippet, IReadOnlyList<string> Lines)
{
    /// <summary>Gets whether the block is C#.</summary>
    public bool IsCSharp => Language is "csharp" or "cs" or "c#";

    /// <inheritdoc/>
    public override string ToString() => $"{File}:{Line}";
}
