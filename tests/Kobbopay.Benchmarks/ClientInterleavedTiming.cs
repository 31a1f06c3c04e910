using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text.Json;

namespace Kobbopay.Benchmarks;

/// <summary>
/// The client's time against its baselines, interleaved: in each round every variant runs one chunk of create+get
/// calls, in a rotating order, so that drift over a run (thread-pool growth, tiered JIT, a busy neighbour on a shared
/// machine) falls on every variant alike. BenchmarkDotNet runs the methods of a class one after another, and on this
/// two-core machine their medians moved by up to 2x with the order alone. Writes the median time per call of each
/// variant and its ratio to the raw HttpClient baseline. Usage: <c>client-interleaved OUT.json [rounds] [calls]</c>.
/// </summary>
internal static class ClientInterleavedTiming
{
    public static async Task RunAsync(string[] args)
    {
        string output = args[0];
        int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 40;
        int calls = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 50;

        ClientBenchmark bench = new();
        bench.Setup();
        using ClientTimingLayers layers = new();
        try
        {
            // The baselines, then one layer at a time: KobbopayClient, the factory's client, the telemetry handler, the
            // resilience handler strategy by strategy, Polly's telemetry, and last the API key handler (the whole client).
            (string Name, Func<Task<string>> Call)[] variants =
            [
                ("RawCreateThenGet", bench.RawCreateThenGet),
                ("RefitCreateThenGet", bench.RefitCreateThenGet),
                ("SdkWithoutHandlersCreateThenGet", bench.SdkWithoutHandlersCreateThenGet),
                .. layers.Build(bench.Address),
                ("SdkCreateThenGet", bench.SdkCreateThenGet),
            ];
            Dictionary<string, List<double>> samples = variants.ToDictionary(v => v.Name, _ => new List<double>());

            // Warm-up: every variant, until the JIT has settled. A fixed 300 calls each was not enough on a loaded two-core
            // machine: the tiered JIT's background thread was still compiling (about 15 % of the process's CPU in perf)
            // through the whole measured run, most hot methods still ran their instrumented tier, and the variants with
            // more layers (more methods waiting to tier up) paid for it. Steady state is what an application lives in.
            Stopwatch warmUp = Stopwatch.StartNew();
            long compiled = JitInfo.GetCompiledMethodCount();
            int quietRounds = 0;
            while (quietRounds < 3 && warmUp.Elapsed < TimeSpan.FromSeconds(90))
            {
                foreach ((_, Func<Task<string>> call) in variants)
                {
                    for (int i = 0; i < calls; i++)
                    {
                        await call();
                    }
                }

                long now = JitInfo.GetCompiledMethodCount();
                quietRounds = now == compiled ? quietRounds + 1 : 0;
                compiled = now;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"warm-up {warmUp.Elapsed.TotalSeconds:0.0} s, {compiled:N0} methods compiled, JIT {(quietRounds >= 3 ? "settled" : "still compiling")}"));

            for (int round = 0; round < rounds; round++)
            {
                for (int k = 0; k < variants.Length; k++)
                {
                    (string name, Func<Task<string>> call) = variants[(round + k) % variants.Length];
                    long started = Stopwatch.GetTimestamp();
                    for (int i = 0; i < calls; i++)
                    {
                        await call();
                    }

                    samples[name].Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds / calls);
                }
            }

            double baseline = Quantiles.Median(samples["RawCreateThenGet"]);
            var result = samples.ToDictionary(
                s => s.Key,
                s => new { medianUs = Quantiles.Median(s.Value), ratio = Quantiles.Median(s.Value) / baseline, rounds, callsPerChunk = calls });
            await File.WriteAllTextAsync(output, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
            foreach (var (name, r) in result)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-34} {r.medianUs,10:0.0} us  {r.ratio:0.00}x"));
            }
        }
        finally
        {
            bench.Cleanup();
        }
    }
}
