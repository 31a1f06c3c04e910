using BenchmarkDotNet.Running;

namespace Kobbopay.Benchmarks;

/// <summary>
/// BenchmarkDotNet by default. Other modes, for build/bench.sh:
/// <c>serve --port N --store memory|sqlite|postgres [--queued]</c> hosts the webhook endpoints for wrk;
/// <c>client-allocs OUT.json</c> attributes the client's allocations per create+get, layer by layer;
/// <c>wrk-data DIR</c> writes the signed bodies wrk cycles through;
/// <c>simulator OUT.json</c> measures the simulator;
/// <c>reconcile OUT.json N...</c> measures the reconciler against a simulator it runs as <c>reconcile-sim</c>;
/// <c>client-interleaved OUT.json</c> times the client against its baselines, interleaved;
/// <c>sig-interleaved OUT.json</c> times valid against forged signature verification, the peers and the bare HMAC, interleaved;
/// <c>store-interleaved OUT.json</c> times the durable stores against their bare drivers, interleaved.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "serve":
                await WebhookEndpointBenchmark.ServeAsync(args[1..]);
                return 0;
            case "wrk-data":
                WebhookEndpointBenchmark.WriteWrkData(args[1], args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 150_000);
                return 0;
            case "simulator":
                await SimulatorBenchmark.RunAsync(args[1..]);
                return 0;
            case "reconcile":
                await ReconcileBenchmark.RunAsync(args[1..]);
                return 0;
            case "reconcile-sim":
                await ReconcileBenchmark.ServeSimulatorAsync();
                return 0;
            case "client-allocs":
                await ClientAllocationTrace.RunAsync(args[1..]);
                return 0;
            case "client-stub":
                await ClientBenchmark.ServeStubAsync(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
                return 0;
            case "client-interleaved":
                await ClientInterleavedTiming.RunAsync(args[1..]);
                return 0;
            case "sig-interleaved":
                SignatureInterleavedTiming.Run(args[1..]);
                return 0;
            case "store-interleaved":
                await StoreInterleavedTiming.RunAsync(args[1..]);
                return 0;
            default:
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
                return 0;
        }
    }
}
