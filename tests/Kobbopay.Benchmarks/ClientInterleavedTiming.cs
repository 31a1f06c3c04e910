using System.Diagnostics;
using System.Globalization;
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

            // Warm-up: every variant, enough calls for the JIT to settle.
            for (int i = 0; i < 300; i++)
            {
                foreach ((_, Func<Task<string>> call) in variants)
                {
                    await call();
                }
            }

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
