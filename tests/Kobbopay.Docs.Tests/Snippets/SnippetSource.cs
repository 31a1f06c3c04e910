namespace Kobbopay.Docs.Tests.Snippets;

/// <summary>
/// The text a docs block must equal: a whole file (<c>path</c>), or the lines of a file between
/// <c>// snippet: NAME</c> and <c>// end snippet</c> (<c>path#NAME</c>), their common indentation removed.
/// </summary>
internal static class SnippetSource
{
    /// <summary>Reads a snippet's lines, or says why it cannot.</summary>
    /// <param name="reference">The marker's <c>path[#region]</c>, the path relative to the repository root.</param>
    /// <param name="lines">The lines, when found.</param>
    /// <returns><see langword="null"/>, or what is missing.</returns>
    public static string? TryRead(string reference, out IReadOnlyList<string> lines)
    {
        lines = [];
        string[] parts = reference.Split('#', 2);
        string path = Path.Combine(Repository.Root, parts[0]);
        if (!File.Exists(path))
        {
            return $"{parts[0]} does not exist";
        }

        string[] text = File.ReadAllLines(path);
        if (parts.Length == 1)
        {
            lines = TrimEnd(text);
            return null;
        }

        string start = "// snippet: " + parts[1];
        int[] starts = [.. Enumerable.Range(0, text.Length).Where(i => text[i].Trim() == start)];
        if (starts.Length != 1)
        {
            return $"{parts[0]} has {starts.Length} lines '{start}' (one is needed)";
        }

        int end = Array.FindIndex(text, starts[0] + 1, l => l.Trim() == "// end snippet");
        if (end < 0)
        {
            return $"{parts[0]}: '{start}' has no '// end snippet' after it";
        }

        string[] region = text[(starts[0] + 1)..end];
        int indent = region.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        lines = [.. region.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart())];
        return null;
    }

    /// <summary>Compares a block with its source.</summary>
    /// <param name="block">The block's lines.</param>
    /// <param name="source">The source's lines.</param>
    /// <returns><see langword="null"/> when equal; otherwise the 0-based index of the first differing line.</returns>
    public static int? FirstDifference(IReadOnlyList<string> block, IReadOnlyList<string> source)
    {
        IReadOnlyList<string> a = TrimEnd(block);
        IReadOnlyList<string> b = TrimEnd(source);
        for (int i = 0; i < Math.Max(a.Count, b.Count); i++)
        {
            if (i >= a.Count || i >= b.Count || !string.Equals(a[i].TrimEnd(), b[i].TrimEnd(), StringComparison.Ordinal))
            {
                return i;
            }
        }

        return null;
    }

    private static string[] TrimEnd(IReadOnlyList<string> lines)
    {
        int count = lines.Count;
        while (count > 0 && lines[count - 1].Trim().Length == 0)
        {
            count--;
        }

        return [.. lines.Take(count)];
    }
}
