using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Kobbopay.Benchmarks;

/// <summary>
/// The durable stores against their bare drivers, interleaved: in each round the store's begin+complete and the bare
/// driver running the store's exact SQL each run one invocation of their benchmark method (64 pairs, from 1 caller or
/// 16 concurrent callers), the side that goes first alternating round by round, so that drift over the run (the files
/// or the table growing, WAL checkpoints, a busy neighbour on this shared 2-core machine) falls on both alike.
/// BenchmarkDotNet runs the two methods one after another, and their ratio moved between 0.43x and 2.09x from run to
/// run. The sides are <see cref="SqliteStoreBenchmark"/> and <see cref="PostgreSqlStoreBenchmark"/> themselves, one
/// instance set up as the bare driver and one as the store (each on its own file or table); PostgreSQL runs only when
/// KOBBOPAY_POSTGRES holds a connection string. The store's figure is the median over the rounds of its per-round
/// ratio to the bare side (bare time over store time: the store's pairs/s as a share of the driver's), with the
/// quartiles of that ratio. Usage: <c>store-interleaved OUT.json [rounds]</c>.
/// </summary>
internal static class StoreInterleavedTiming
{
    private const int WarmupRounds = 5;
    private static readonly int[] CallerCounts = [1, 16];

    public static async Task RunAsync(string[] args)
    {
        string output = args[0];
        int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 101;
        bool postgres = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KOBBOPAY_POSTGRES"));

        List<object> runs = [];
        foreach (int callers in CallerCounts)
        {
            runs.Add(await TimeAsync("SQLite", callers, rounds, SqlitePair));
            if (postgres)
            {
                runs.Add(await TimeAsync("PostgreSQL", callers, rounds, PostgreSqlPair));
            }
        }

        var result = new { rounds, warmupRounds = WarmupRounds, postgres, runs };
        await File.WriteAllTextAsync(output, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
    }

    private static StorePair SqlitePair(int callers)
    {
        SqliteStoreBenchmark bare = new() { Callers = callers };
        SqliteStoreBenchmark store = new() { Callers = callers };
        return new(SqliteStoreBenchmark.Pairs, bare.BareSqlite, store.Store, bare.SetupBare, store.SetupStore, () =>
        {
            bare.Cleanup();
            store.Cleanup();
        });
    }

    private static StorePair PostgreSqlPair(int callers)
    {
        // Tables of this mode's own, apart from the BenchmarkDotNet class's.
        const string Prefix = "kobbopay_bench_pgi";
        PostgreSqlStoreBenchmark bare = new() { Callers = callers, TablePrefix = Prefix };
        PostgreSqlStoreBenchmark store = new() { Callers = callers, TablePrefix = Prefix };
        return new(PostgreSqlStoreBenchmark.Pairs, bare.BareNpgsql, store.Store, bare.SetupBare, store.SetupStore, () =>
        {
            bare.Cleanup();
            store.Cleanup();
        });
    }

    private static async Task<object> TimeAsync(string driver, int callers, int rounds, Func<int, StorePair> create)
    {
        StorePair pair = create(callers);
        try
        {
            // Each setup runs its side once (schema, connections, JIT); then a few untimed rounds more.
            pair.SetupBare();
            pair.SetupStore();
            for (int i = 0; i < WarmupRounds; i++)
            {
                await pair.Bare();
                await pair.Store();
            }

            Func<Task>[] sides = [pair.Bare, pair.Store];
            double[][] nsPerPair = [new double[rounds], new double[rounds]];
            for (int round = 0; round < rounds; round++)
            {
                for (int j = 0; j < sides.Length; j++)
                {
                    int k = (round + j) % sides.Length;
                    long started = Stopwatch.GetTimestamp();
                    await sides[k]();
                    nsPerPair[k][round] = Stopwatch.GetElapsedTime(started).TotalNanoseconds / pair.PairsPerInvocation;
                }
            }

            double[] storeOverBare = [.. Enumerable.Range(0, rounds).Select(r => nsPerPair[0][r] / nsPerPair[1][r])];
            var run = new
            {
                driver,
                callers,
                pairsPerChunk = pair.PairsPerInvocation,
                bareMedianNs = Quantiles.Median(nsPerPair[0]),
                storeMedianNs = Quantiles.Median(nsPerPair[1]),
                storeOverBare = Quantiles.Median(storeOverBare),
                storeOverBareP25 = Quantiles.Of(storeOverBare, 0.25),
                storeOverBareP75 = Quantiles.Of(storeOverBare, 0.75),
            };
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{driver,-10} {callers,2} caller(s): bare {run.bareMedianNs / 1e3,8:0.0} us/pair, store {run.storeMedianNs / 1e3,8:0.0} us/pair, store {run.storeOverBare:0.00}x bare (quartiles {run.storeOverBareP25:0.00}-{run.storeOverBareP75:0.00})"));
            return run;
        }
        finally
        {
            pair.Cleanup();
        }
    }

    /// <summary>The two sides of one measurement: their benchmark methods, setups and cleanup.</summary>
    private sealed record StorePair(int PairsPerInvocation, Func<Task> Bare, Func<Task> Store, Action SetupBare, Action SetupStore, Action Cleanup);
}
