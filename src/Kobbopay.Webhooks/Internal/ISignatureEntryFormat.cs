namespace Kobbopay.Webhooks.Internal;

/// <summary>How a scheme writes one entry of its signature header (the header may hold several, while secrets rotate).</summary>
internal interface ISignatureEntryFormat
{
    /// <summary>Finds the separator that ends the first entry of <paramref name="text"/>, or -1.</summary>
    static abstract int IndexOfSeparator(ReadOnlySpan<char> text);

    /// <summary>Reads the MAC an entry holds into <paramref name="mac"/> (<see cref="KeyedHmac.MacSize"/> bytes); <see langword="false"/> for an entry of another version or unreadable.</summary>
    static abstract bool TryReadMac(ReadOnlySpan<char> entry, Span<byte> mac);
}
