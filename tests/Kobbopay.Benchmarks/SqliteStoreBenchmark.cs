using System.Globalization;
using BenchmarkDotNet.Attributes;
using Kobbopay.EventStore.Sqlite;
using Kobbopay.EventStore.Sqlite.Internal;
using Kobbopay.Webhooks;
using Microsoft.Data.Sqlite;

namespace Kobbopay.Benchmarks;

/// <summary>
/// The SQLite store against the bare driver: begin+complete pairs, 64 per invocation (the reported time is per pair),
/// from 1 caller or 16 concurrent callers, each on a fresh file. The baseline is Microsoft.Data.Sqlite running the store's
/// own statements (<see cref="SqliteStatements"/>: BEGIN IMMEDIATE, the begin upsert, COMMIT, then the complete update)
/// as prepared commands reused on one open connection with the store's pragmas (WAL, synchronous NORMAL, busy timeout),
/// one caller at a time on it (one connection runs one statement at a time).
/// </summary>
[Config(typeof(BenchConfig))]
public class SqliteStoreBenchmark
{
    internal const int Pairs = 64;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    // The baseline's one connection, guarded by _lock, and its prepared commands.
    private readonly Lock _lock = new();
    private SqliteConnection? _connection;
    private (SqliteCommand BeginImmediate, SqliteCommand Begin, SqliteCommand Commit, SqliteCommand Complete) _bare;

    private readonly string _run = Guid.NewGuid().ToString("N")[..12];
    private SqliteWebhookEventStore? _store;
    private string _path = "";
    private long _next;

    [Params(1, 16)]
    public int Callers { get; set; }

    [GlobalSetup(Target = nameof(BareSqlite))]
    public void SetupBare()
    {
        _path = NewPath();
        SqliteWebhookEventStoreOptions options = Options();
        using (SqliteWebhookEventStore schema = new(options))
        {
            schema.MigrateAsync().GetAwaiter().GetResult();
        }

        SqliteStatements sql = new(options.TableName);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder(options.ConnectionString) { Pooling = false }.ConnectionString);
        _connection.Open();
        using (SqliteCommand pragmas = _connection.CreateCommand())
        {
            // The store's pragmas (SqliteWebhookEventStore.OpenConnection, FullSync off).
            pragmas.CommandText = $"PRAGMA busy_timeout = {(long)options.BusyTimeout.TotalMilliseconds}; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;";
            pragmas.ExecuteNonQuery();
        }

        _bare = (Prepared("BEGIN IMMEDIATE"), Prepared(sql.Begin, "$key", "$lease_id", "$lease_expires_at", "$now"), Prepared("COMMIT"), Prepared(sql.Complete, "$key", "$lease_id", "$now"));
        Warm(BarePairAsync);
    }

    [GlobalSetup(Target = nameof(Store))]
    public void SetupStore()
    {
        _path = NewPath();
        _store = new SqliteWebhookEventStore(Options());
        Warm(StorePairAsync);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store?.Dispose();
        _connection?.Dispose();
        SqliteConnection.ClearAllPools();
        foreach (string f in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(f);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Pairs)]
    public Task BareSqlite() => RunAsync(BarePairAsync);

    [Benchmark(OperationsPerInvoke = Pairs)]
    public Task Store() => RunAsync(StorePairAsync);

    private string NewPath() => Path.Combine(Path.GetTempPath(), "kobbopay-bench-sqlite-" + _run + "-" + Callers.ToString(CultureInfo.InvariantCulture) + ".db");

    private SqliteWebhookEventStoreOptions Options() => new() { ConnectionString = "Data Source=" + _path };

    private SqliteCommand Prepared(string text, params string[] parameters)
    {
        SqliteCommand command = _connection!.CreateCommand();
        command.CommandText = text;
        foreach (string name in parameters)
        {
            command.Parameters.Add(new SqliteParameter(name, null));
        }

        command.Prepare();
        return command;
    }

    private void Warm(Func<string, ValueTask> pair) => RunAsync(pair).GetAwaiter().GetResult();

    private Task RunAsync(Func<string, ValueTask> pair)
    {
        if (Callers <= 1)
        {
            return CallerAsync(pair, Pairs);
        }

        Task[] tasks = new Task[Callers];
        for (int i = 0; i < tasks.Length; i++)
        {
            tasks[i] = Task.Run(() => CallerAsync(pair, Pairs / Callers));
        }

        return Task.WhenAll(tasks);
    }

    private async Task CallerAsync(Func<string, ValueTask> pair, int pairs)
    {
        for (int i = 0; i < pairs; i++)
        {
            await pair("bench:" + _run + ":" + Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture));
        }
    }

    private async ValueTask StorePairAsync(string key)
    {
        WebhookBeginResult begun = await _store!.TryBeginAsync(key, Lease);
        if (begun.Status != WebhookBeginStatus.Began || !await _store.CompleteAsync(key, begun.LeaseId))
        {
            throw new InvalidOperationException($"Store answered {begun.Status} for a fresh key.");
        }
    }

    private ValueTask BarePairAsync(string key)
    {
        long now = SqliteEventTable.ToMicroseconds(DateTimeOffset.UtcNow);
        Guid leaseId = Guid.NewGuid();
        lock (_lock)
        {
            _bare.BeginImmediate.ExecuteNonQuery();
            SqliteCommand begin = _bare.Begin;
            begin.Parameters[0].Value = key;
            begin.Parameters[1].Value = leaseId;
            begin.Parameters[2].Value = now + (Lease.Ticks / 10);
            begin.Parameters[3].Value = now;
            bool began;
            using (SqliteDataReader reader = begin.ExecuteReader())
            {
                began = reader.Read();
            }

            _bare.Commit.ExecuteNonQuery();
            if (!began)
            {
                throw new InvalidOperationException("The bare begin found the fresh key taken.");
            }
        }

        lock (_lock)
        {
            SqliteCommand complete = _bare.Complete;
            complete.Parameters[0].Value = key;
            complete.Parameters[1].Value = leaseId;
            complete.Parameters[2].Value = SqliteEventTable.ToMicroseconds(DateTimeOffset.UtcNow);
            if (complete.ExecuteNonQuery() != 1)
            {
                throw new InvalidOperationException("The bare complete found no lease.");
            }
        }

        return default;
    }
}
