namespace Kobbopay.Sdk;

/// <summary>One page of a list.</summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed class Page<T>
{
    /// <summary>Gets the items on this page.</summary>
    public required IReadOnlyList<T> Data { get; init; }

    /// <summary>Gets the cursor of the next page, or <see langword="null"/> on the last page.</summary>
    public string? NextCursor { get; init; }
}
