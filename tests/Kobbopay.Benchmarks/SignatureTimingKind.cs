namespace Kobbopay.Benchmarks;

/// <summary>
/// What a timed verification is: one of ours that must verify, one of ours that must be refused, a peer's, or the bare
/// one-shot HMAC our valid verification is judged against.
/// </summary>
internal enum SignatureTimingKind
{
    Valid,
    Forged,
    Peer,
    Baseline,
}
