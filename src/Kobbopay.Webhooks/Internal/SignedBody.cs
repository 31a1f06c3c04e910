using System.Buffers;
using System.Security.Cryptography;

namespace Kobbopay.Webhooks.Internal;

/// <summary>
/// A raw webhook body as the MAC sees it, whether it arrived in one buffer or in several: the schemes compute
/// one MAC over this instead of keeping a span twin and a sequence twin of every step.
/// </summary>
internal readonly ref struct SignedBody
{
    private readonly ReadOnlySpan<byte> _single;
    private readonly ReadOnlySequence<byte> _segments;

    public SignedBody(ReadOnlySpan<byte> body) => _single = body;

    public SignedBody(in ReadOnlySequence<byte> body)
    {
        if (body.IsSingleSegment)
        {
            _single = body.FirstSpan;
        }
        else
        {
            _segments = body;
        }
    }

    /// <summary>Appends the body, byte for byte, to a running hash.</summary>
    public void AppendTo(IncrementalHash hash)
    {
        hash.AppendData(_single);
        foreach (ReadOnlyMemory<byte> segment in _segments)
        {
            hash.AppendData(segment.Span);
        }
    }
}
