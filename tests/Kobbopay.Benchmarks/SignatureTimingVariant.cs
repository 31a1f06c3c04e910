namespace Kobbopay.Benchmarks;

/// <summary>One verification call timed by <see cref="SignatureInterleavedTiming"/>.</summary>
/// <param name="Scheme">Our scheme it belongs with.</param>
/// <param name="Name">What it verifies.</param>
/// <param name="Kind">Valid, forged, a peer or the bare baseline.</param>
/// <param name="Ours">For a peer or the baseline: the name of our variant it is compared with.</param>
/// <param name="Verify">The call; <see langword="true"/> when the delivery verified.</param>
internal sealed record SignatureTimingVariant(string Scheme, string Name, SignatureTimingKind Kind, string? Ours, Func<bool> Verify);
