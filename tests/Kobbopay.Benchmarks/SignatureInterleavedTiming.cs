using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Kobbopay.Benchmarks;

/// <summary>
/// Valid against forged verification, interleaved, at 1 KiB: in each round every variant of
/// <see cref="SignatureVerificationBenchmark.TimingVariants"/> (per scheme: valid, valid again, forged in the MAC's first
/// byte, forged in its last byte) runs one chunk of calls, in an order shuffled anew each round, so that drift over the
/// run (tiered JIT, frequency, a busy neighbour on a shared machine) falls on every variant alike. A variant's gap to
/// valid is the median over the rounds of its per-round ratio to the valid chunk of the same round; "valid again" is the
/// same call as valid, so its gap is the measurement's own noise. BenchmarkDotNet runs methods one after another, and
/// their medians moved by up to 25 % between runs here. Usage: <c>sig-interleaved OUT.json [rounds] [calls]</c>.
/// </summary>
internal static class SignatureInterleavedTiming
{
    private const int BodyBytes = 1024;

    public static void Run(string[] args)
    {
        string output = args[0];
        int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2001;
        int calls = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100;

        SignatureVerificationBenchmark bench = new() { BodyBytes = BodyBytes };
        bench.Setup();
        (string Scheme, string Name, bool Valid, Func<bool> Verify)[] variants = bench.TimingVariants();

        // Warm-up: every variant for half a second, past tiered compilation's delay.
        int accepted = 0;
        long warmStarted = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(warmStarted).TotalMilliseconds < 500)
        {
            foreach ((_, _, _, Func<bool> verify) in variants)
            {
                accepted += verify() ? 1 : 0;
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

        Dictionary<string, object> schemes = [];
        foreach (IGrouping<string, int> scheme in Enumerable.Range(0, variants.Length).GroupBy(k => variants[k].Scheme))
        {
            int valid = scheme.First(k => variants[k].Name == "valid");
            Dictionary<string, object> entries = [];
            foreach (int k in scheme)
            {
                double gap = Median(Enumerable.Range(0, rounds).Select(r => nsPerCall[k][r] / nsPerCall[valid][r])) - 1;
                entries[variants[k].Name] = new { medianNs = Median(nsPerCall[k]), vsValidPercent = gap * 100 };
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{scheme.Key,-18} {variants[k].Name,-18} {Median(nsPerCall[k]),8:0} ns  {(gap < 0 ? string.Empty : "+")}{gap * 100:0.00} % vs valid"));
            }

            schemes[scheme.Key] = entries;
        }

        var result = new { bodyBytes = BodyBytes, rounds, callsPerChunk = calls, accepted, schemes };
        File.WriteAllText(output, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
    }

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values];
        Array.Sort(sorted);
        return (sorted[(sorted.Length - 1) / 2] + sorted[sorted.Length / 2]) / 2;
    }
}
