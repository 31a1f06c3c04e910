namespace Kobbopay.Webhooks.Tests.TestSupport;

/// <summary>Builds a multi-segment <see cref="ReadOnlySequence{T}"/>, as a request pipe hands a body over.</summary>
internal static class SegmentedSequence
{
    /// <summary>Splits <paramref name="bytes"/> at the given cut points (sorted, duplicates giving empty segments).</summary>
    public static ReadOnlySequence<byte> Split(byte[] bytes, IEnumerable<int> cuts)
    {
        List<int> points = [.. cuts.Select(c => Math.Clamp(c, 0, bytes.Length)).Order()];
        points.Add(bytes.Length);
        Segment? first = null;
        Segment? last = null;
        int start = 0;
        foreach (int end in points)
        {
            // Copy each piece so that segments really are separate arrays.
            ReadOnlyMemory<byte> piece = bytes.AsSpan(start, end - start).ToArray();
            if (first is null)
            {
                first = last = new Segment(piece, 0);
            }
            else
            {
                last = last!.Append(piece);
            }

            start = end;
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    /// <summary>Splits <paramref name="bytes"/> into pieces of <paramref name="size"/> bytes (the last may be shorter).</summary>
    public static ReadOnlySequence<byte> Chunks(byte[] bytes, int size) =>
        Split(bytes, Enumerable.Range(1, Math.Max(0, (bytes.Length - 1) / size)).Select(i => i * size));

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            Segment next = new(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
