using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Kobbopay.Benchmarks;

/// <summary>
/// Our signature verification against forged deliveries, the peers and the bare one-shot HMAC, interleaved, at 1 KiB:
/// in each round every variant of <see cref="SignatureVerificationBenchmark.TimingVariants"/> runs one chunk of calls,
/// in an order shuffled anew each round, so that drift over the run (tiered JIT, frequency, a busy neighbour on a shared
/// machine) falls on every variant alike. BenchmarkDotNet runs methods one after another, and on this machine their
/// medians moved by up to 25 % between runs (ours over the bare HMAC came out between 0.62x and 1.8x). A forged
/// variant's gap is the median over the rounds of its per-round ratio to our valid chunk of the same round ("valid
/// again" is the same call as valid: its gap is the measurement's own noise); the ratio to a peer or to the bare HMAC
/// is the median of ours over its time, round by round. Bytes allocated per call are counted on the calling thread
/// alone (BenchmarkDotNet's count includes other threads' background work). Usage:
/// <c>sig-interleaved OUT.json [rounds] [calls]</c>.
/// </summary>
internal static class SignatureInterleavedTiming
{
    private const int BodyBytes = 1024;

    public static void Run(string[] args)
    {
        string output = args[0];
        int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1001;
        int calls = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100;

        SignatureVerificationBenchmark bench = new() { BodyBytes = BodyBytes };
        bench.Setup();
        SignatureTimingVariant[] variants = bench.TimingVariants();

        // Warm-up: every variant for half a second, past tiered compilation's delay.
        int accepted = 0;
        long warmStarted = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(warmStarted).TotalMilliseconds < 500)
        {
            foreach (SignatureTimingVariant variant in variants)
            {
                accepted += variant.Verify() ? 1 : 0;
            }
        }

        double[][] nsPerCall = [.. variants.Select(_ => new double[rounds])];
        int[] order = [.. Enumerable.Range(0, variants.Length)];
        Random random = new(16);
        for (int round = 0; round < rounds; round++)
        {
            random.Shuffle(order);
            foreach (int k in order)
            {
                Func<bool> verify = variants[k].Verify;
                long started = Stopwatch.GetTimestamp();
                for (int i = 0; i < calls; i++)
                {
                    accepted += verify() ? 1 : 0;
                }

                nsPerCall[k][round] = Stopwatch.GetElapsedTime(started).TotalNanoseconds / calls;
            }
        }

        Dictionary<string, Dictionary<string, object>> schemes = [];
        for (int k = 0; k < variants.Length; k++)
        {
            SignatureTimingVariant v = variants[k];
            int ours = Array.FindIndex(variants, o => o.Scheme == v.Scheme && o.Name == (v.Ours ?? "valid"));
            double[] ratios = [.. Enumerable.Range(0, rounds).Select(r => nsPerCall[k][r] / nsPerCall[ours][r])];
            double allocated = AllocatedPerCall(v.Verify, calls);
            Dictionary<string, object> entry = new() { ["kind"] = v.Kind.ToString(), ["medianNs"] = Quantiles.Median(nsPerCall[k]), ["allocatedBytesPerCall"] = allocated };
            string compared;
            if (v.Kind is SignatureTimingKind.Peer or SignatureTimingKind.Baseline)
            {
                double oursOverIt = Quantiles.Median(ratios.Select(r => 1 / r));
                entry["comparedWith"] = v.Ours!;
                entry[v.Kind == SignatureTimingKind.Peer ? "oursOverPeer" : "oursOverBare"] = oursOverIt;
                compared = string.Create(CultureInfo.InvariantCulture, $"ours ({v.Ours}) {oursOverIt:0.00}x its time");
            }
            else
            {
                double gap = (Quantiles.Median(ratios) - 1) * 100;
                entry["vsValidPercent"] = gap;
                compared = string.Create(CultureInfo.InvariantCulture, $"{(gap < 0 ? string.Empty : "+")}{gap:0.00} % vs valid");
            }

            (schemes.TryGetValue(v.Scheme, out var entries) ? entries : schemes[v.Scheme] = [])[v.Name] = entry;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{v.Scheme,-18} {v.Name,-34} {Quantiles.Median(nsPerCall[k]),8:0} ns {allocated,6:0} B  {compared}"));
        }

        var result = new { bodyBytes = BodyBytes, rounds, callsPerChunk = calls, accepted, schemes };
        File.WriteAllText(output, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
    }

    private static double AllocatedPerCall(Func<bool> verify, int calls)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < calls; i++)
        {
            verify();
        }

        return (double)(GC.GetAllocatedBytesForCurrentThread() - before) / calls;
    }
}
