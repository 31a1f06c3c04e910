namespace Kobbopay.Benchmarks;

/// <summary>What a timed verification is: one of ours that must verify, one of ours that must be refused, or a peer's.</summary>
internal enum SignatureTimingKind
{
    Valid,
    Forged,
    Peer,
}
