using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text.Json;
using Kobbopay.Reconciliation;
using Kobbopay.Sdk;
using Kobbopay.Simulator;

namespace Kobbopay.Benchmarks;

/// <summary>
/// KobbopayReconciler at scale (issue #13): for each count N, N payments for N orders in a simulator, reconciled over
/// HTTP through KobbopayClient against books of the same N orders. The simulator runs in a child process (this program
/// in <c>reconcile-sim</c> mode), so this process holds only the reconciler, its client and the ledger, and the heap
/// measured is theirs. Figures per N: payments reconciled per second (N payments over the wall time of RunAsync, which
/// makes one list request per order in pass 1 and reads the period's N payments in pages of 100 in pass 2), the
/// exceptions found (0: the books match), and the peak managed heap during the run (sampled every 50 ms) above the
/// heap after a forced collection just before it (with the highest heap a collection left, what stayed live). The
/// flatness figure is the ratio of the peaks above the baseline between the largest and the smallest N. The runs go in
/// the order given in one process, so the first also pays for the JIT's tiering up (its rate is the lower for it).
/// </summary>
public static class ReconcileBenchmark
{
    private static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(50);

    public static async Task RunAsync(string[] args)
    {
        string output = args.Length > 0 ? args[0] : "reconcile.json";
        int[] counts = args.Length > 1 ? [.. args[1..].Select(a => int.Parse(a, CultureInfo.InvariantCulture))] : [10_000, 100_000];
        List<Dictionary<string, object>> runs = [];
        foreach (int count in counts)
        {
            Dictionary<string, object> run = await RunOnceAsync(count);
            runs.Add(run);
            Console.WriteLine(JsonSerializer.Serialize(run, SimulatorJsonContext.Default.DictionaryStringObject));
        }

        Dictionary<string, object> results = new()
        {
            ["gc"] = GCSettings.IsServerGC ? "server" : "workstation",
            ["sample_interval_ms"] = SampleInterval.TotalMilliseconds,
            ["runs"] = runs,
        };
        if (runs.Count >= 2)
        {
            Dictionary<string, object> smallest = runs.MinBy(r => (int)r["payments"])!;
            Dictionary<string, object> largest = runs.MaxBy(r => (int)r["payments"])!;
            results["peak_ratio"] = (long)largest["peak_above_baseline_bytes"] / (double)Math.Max(1, (long)smallest["peak_above_baseline_bytes"]);
            results["peak_ratio_of"] = $"{largest["payments"]} vs {smallest["payments"]} payments";
        }

        await File.WriteAllTextAsync(output, JsonSerializer.Serialize(results, SimulatorJsonContext.Default.DictionaryStringObject));
        Console.WriteLine(File.ReadAllText(output));
    }

    /// <summary>The child process: a simulator on a free loopback port, its address on the first line of output, until standard input closes.</summary>
    public static async Task ServeSimulatorAsync()
    {
        await using KobbopaySimulator sim = await KobbopaySimulator.StartAsync(new KobbopaySimulatorOptions { RecordedRequestCapacity = 1000 });
        Console.WriteLine(sim.BaseAddress);
        await Console.In.ReadToEndAsync();
    }

    private static async Task<Dictionary<string, object>> RunOnceAsync(int count)
    {
        using Process simulator = StartSimulator(out Uri baseAddress);
        try
        {
            string run = "bench" + count.ToString(CultureInfo.InvariantCulture);
            Stopwatch seeding = Stopwatch.StartNew();
            using (HttpClient http = SimulatorBenchmark.NewClient(baseAddress, KobbopaySimulatorOptions.DefaultTestApiKey))
            {
                int created = await SimulatorBenchmark.CreateAsync(http, count, TimeSpan.FromMinutes(30), run);
                if (created != count)
                {
                    throw new InvalidOperationException($"Created {created} of {count} payments.");
                }
            }

            double seedSeconds = seeding.Elapsed.TotalSeconds;
            KobbopayClient client = KobbopayClient.Create(new KobbopayClientOptions { BaseAddress = baseAddress, ApiKey = KobbopaySimulatorOptions.DefaultTestApiKey });
            KobbopayReconciler reconciler = new(client, new GeneratedOrderLedger(run, count), OrderStatusMapping.Identity);
            DateTimeOffset now = DateTimeOffset.UtcNow;
            await WarmUpAsync(client, run);

            CountingSink sink = new();
            long baseline = GC.GetTotalMemory(true);
            int[] collections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
            using HeapPeakSampler sampler = HeapPeakSampler.Start(SampleInterval);
            Stopwatch sw = Stopwatch.StartNew();
            ReconciliationSummary summary = await reconciler.RunAsync(now.AddDays(-1), now.AddDays(1), sink);
            double seconds = sw.Elapsed.TotalSeconds;
            long peak = sampler.Stop();
            return new Dictionary<string, object>
            {
                ["payments"] = count,
                ["seed_seconds"] = seedSeconds,
                ["orders_checked"] = summary.OrdersChecked,
                ["payments_checked"] = summary.PaymentsChecked,
                ["exceptions"] = sink.Count,
                ["first_exceptions"] = string.Join(" | ", sink.First),
                ["seconds"] = seconds,
                ["payments_per_second"] = count / seconds,
                ["requests"] = count + ((count + 99) / 100),
                ["baseline_bytes"] = baseline,
                ["peak_bytes"] = peak,
                ["peak_above_baseline_bytes"] = peak - baseline,
                ["peak_after_collection_bytes"] = sampler.PeakAfterCollection,
                ["samples"] = sampler.Samples,
                ["gen0_collections"] = GC.CollectionCount(0) - collections[0],
                ["gen1_collections"] = GC.CollectionCount(1) - collections[1],
                ["gen2_collections"] = GC.CollectionCount(2) - collections[2],
            };
        }
        finally
        {
            simulator.StandardInput.Close();
            if (!simulator.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                simulator.Kill();
            }
        }
    }

    /// <summary>One order's list and one page of all payments, so that first-call costs (JIT, the connection, the client's pipeline) fall before the baseline.</summary>
    private static async Task WarmUpAsync(KobbopayClient client, string run)
    {
        await foreach (Payment _ in client.ListPaymentsAsync(new PaymentListOptions { OrderId = run + "-1" }))
        {
        }

        await foreach (Payment _ in client.ListPaymentsAsync(new PaymentListOptions { PageSize = 100 }).Take(100))
        {
        }
    }

    private static Process StartSimulator(out Uri baseAddress)
    {
        ProcessStartInfo start = new(Environment.ProcessPath!, "reconcile-sim") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        Process process = Process.Start(start) ?? throw new InvalidOperationException("The simulator process did not start.");
        string? line;
        while ((line = process.StandardOutput.ReadLine()) is not null)
        {
            if (Uri.TryCreate(line.Trim(), UriKind.Absolute, out Uri? address) && address.Scheme == Uri.UriSchemeHttp)
            {
                baseAddress = address;
                return process;
            }
        }

        process.Dispose();
        throw new InvalidOperationException("The simulator process ended before it printed its address.");
    }
}
