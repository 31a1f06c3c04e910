using System.Globalization;
using BenchmarkDotNet.Attributes;
using Kobbopay.EventStore.PostgreSql;
using Kobbopay.EventStore.Sqlite;
using Kobbopay.Webhooks;

namespace Kobbopay.Benchmarks;

/// <summary>
/// Event store begin+complete pairs, 64 per invocation (so the reported time is per pair and ops/s = 1e9 / ns),
/// issued by 1 caller in sequence or by 16 concurrent callers. In-memory is the baseline; PostgreSQL only runs when
/// KOBBOPAY_POSTGRES holds a connection string (build/bench.sh leaves it out otherwise).
/// </summary>
[Config(typeof(BenchConfig))]
public class StoreBenchmark
{
    private const int Pairs = 64;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    private readonly string _run = Guid.NewGuid().ToString("N")[..12];
    private IWebhookEventStore _store = null!;
    private string? _sqlitePath;
    private long _next;

    [Params(1, 16)]
    public int Callers { get; set; }

    [GlobalSetup(Target = nameof(InMemory))]
    public void SetupInMemory() => _store = new InMemoryWebhookEventStore();

    [GlobalSetup(Target = nameof(Sqlite))]
    public void SetupSqlite()
    {
        _sqlitePath = Path.Combine(Path.GetTempPath(), "kobbopay-bench-" + _run + ".db");
        _store = new SqliteWebhookEventStore(new SqliteWebhookEventStoreOptions { ConnectionString = "Data Source=" + _sqlitePath });
        Warm();
    }

    [GlobalSetup(Target = nameof(PostgreSql))]
    public void SetupPostgreSql()
    {
        string cs = Environment.GetEnvironmentVariable("KOBBOPAY_POSTGRES")
            ?? throw new InvalidOperationException("KOBBOPAY_POSTGRES is not set: no PostgreSQL server to benchmark.");
        _store = new PostgreSqlWebhookEventStore(new PostgreSqlWebhookEventStoreOptions { ConnectionString = cs, TableName = "kobbopay_bench_events" });
        Warm();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        (_store as IDisposable)?.Dispose();
        if (_sqlitePath is not null)
        {
            foreach (string f in new[] { _sqlitePath, _sqlitePath + "-wal", _sqlitePath + "-shm" })
            {
                File.Delete(f);
            }
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Pairs)]
    public Task InMemory() => RunAsync();

    [Benchmark(OperationsPerInvoke = Pairs)]
    public Task Sqlite() => RunAsync();

    [Benchmark(OperationsPerInvoke = Pairs)]
    public Task PostgreSql() => RunAsync();

    private void Warm()
    {
        Callers = Math.Max(1, Callers);
        RunAsync().GetAwaiter().GetResult();
    }

    private Task RunAsync()
    {
        if (Callers <= 1)
        {
            return CallerAsync(Pairs);
        }

        Task[] tasks = new Task[Callers];
        for (int i = 0; i < tasks.Length; i++)
        {
            tasks[i] = Task.Run(() => CallerAsync(Pairs / Callers));
        }

        return Task.WhenAll(tasks);
    }

    private async Task CallerAsync(int pairs)
    {
        for (int i = 0; i < pairs; i++)
        {
            string key = "bench:" + _run + ":" + Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture);
            WebhookBeginResult begun = await _store.TryBeginAsync(key, Lease);
            if (begun.Status != WebhookBeginStatus.Began || !await _store.CompleteAsync(key, begun.LeaseId))
            {
                throw new InvalidOperationException($"Store answered {begun.Status} for a fresh key.");
            }
        }
    }
}
