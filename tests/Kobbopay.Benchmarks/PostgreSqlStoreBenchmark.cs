using System.Globalization;
using BenchmarkDotNet.Attributes;
using Kobbopay.EventStore.PostgreSql;
using Kobbopay.EventStore.PostgreSql.Internal;
using Kobbopay.Webhooks;
using Npgsql;

namespace Kobbopay.Benchmarks;

/// <summary>
/// The PostgreSQL store's begin+complete pairs against the bare driver, 64 pairs per invocation (the reported time is per
/// pair; pairs/s = 1e9 / ns), from 1 caller or 16 concurrent callers. The baseline, <see cref="BareNpgsql"/>, runs the
/// store's exact two statements (its begin upsert, read back, whose commit does not wait for the WAL flush; then its
/// complete, with the server's default durable commit) through Npgsql on one open connection per caller, prepared once:
/// what the driver alone does with this SQL. <see cref="BareNpgsqlDurable"/> runs the begin with a durable commit too
/// (the store's SQL before it relaxed its begin). Runs only when KOBBOPAY_POSTGRES holds a connection string
/// (build/bench.sh leaves it out otherwise).
/// </summary>
[Config(typeof(BenchConfig))]
public class PostgreSqlStoreBenchmark
{
    [Params(1, 16)]
    public int Callers { get; set; }

    internal const int Pairs = 64;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    private readonly string _run = Guid.NewGuid().ToString("N")[..12];
    private PostgreSqlWebhookEventStore? _store;
    private BareCaller[] _bare = [];
    private long _next;

    private bool DurableBegin { get; set; }

    /// <summary>The tables' names start with it: the bare side's table ends in _bare, the store's in _store.</summary>
    internal string TablePrefix { get; init; } = "kobbopay_bench_pg";

    [GlobalSetup(Target = nameof(BareNpgsqlDurable))]
    public void SetupBareDurable()
    {
        DurableBegin = true;
        SetupBare();
    }

    [GlobalSetup(Target = nameof(BareNpgsql))]
    public void SetupBare()
    {
        // The store creates the table (its migration), then stays idle: the callers run its SQL on connections of their own.
        PostgreSqlWebhookEventStore store = _store = Create(TablePrefix + "_bare");
        store.MigrateAsync().GetAwaiter().GetResult();
        string cs = ConnectionString();
        _bare = [.. Enumerable.Range(0, Math.Max(1, Callers)).Select(_ => new BareCaller(cs, DurableBegin ? store.Statements.DurableBegin : store.Statements.Begin, store.Statements.Complete))];
        RunAsync((caller, pairs) => BareCallerAsync(_bare[caller], pairs)).GetAwaiter().GetResult();
    }

    [GlobalSetup(Target = nameof(Store))]
    public void SetupStore()
    {
        _store = Create(TablePrefix + "_store");
        RunAsync(StoreCallerAsync).GetAwaiter().GetResult();
    }

    /// <summary>Closes the callers' connections and drops the run's tables (events and sequences, and their schema version row); safe when the setup never ran or failed part way (a failed drop is reported, not thrown).</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (BareCaller caller in _bare)
        {
            caller.Dispose();
        }

        _bare = [];
        if (_store is not { } store)
        {
            return;
        }

        _store = null;
        try
        {
            using NpgsqlCommand drop = store.DataSource.CreateCommand(
                $"""
                DROP TABLE IF EXISTS {store.TableName}, {store.Statements.Qualify(PostgreSqlStatements.SequencesTable(store.Statements.TableName))};
                DO $$ BEGIN
                    IF to_regclass('{store.Statements.Qualify(PostgreSqlStatements.SchemaVersionTable)}') IS NOT NULL THEN
                        DELETE FROM {store.Statements.Qualify(PostgreSqlStatements.SchemaVersionTable)} WHERE table_name = '{store.Statements.TableName}';
                    END IF;
                END $$;
                """);
            drop.ExecuteNonQuery();
        }
        catch (NpgsqlException ex)
        {
            // Best effort: a cleanup that throws would hide the error of a setup that failed (no server, say).
            Console.Error.WriteLine($"PostgreSqlStoreBenchmark: could not drop {store.TableName}: {ex.Message}");
        }
        finally
        {
            store.Dispose();
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Pairs)]
    public Task BareNpgsql() => RunAsync((caller, pairs) => BareCallerAsync(_bare[caller], pairs));

    [Benchmark(OperationsPerInvoke = Pairs)]
    public Task BareNpgsqlDurable() => RunAsync((caller, pairs) => BareCallerAsync(_bare[caller], pairs));

    [Benchmark(OperationsPerInvoke = Pairs)]
    public Task Store() => RunAsync(StoreCallerAsync);

    private static string ConnectionString() => Environment.GetEnvironmentVariable("KOBBOPAY_POSTGRES")
        ?? throw new InvalidOperationException("KOBBOPAY_POSTGRES is not set: no PostgreSQL server to benchmark.");

    private static PostgreSqlWebhookEventStore Create(string table) =>
        new(new PostgreSqlWebhookEventStoreOptions { ConnectionString = ConnectionString(), TableName = table, PurgeInterval = TimeSpan.Zero });

    private static DateTime Now()
    {
        DateTime now = DateTime.UtcNow;
        return new DateTime(now.Ticks - (now.Ticks % 10), DateTimeKind.Utc);
    }

    private Task RunAsync(Func<int, int, Task> caller)
    {
        int callers = Math.Max(1, Callers);
        if (callers == 1)
        {
            return caller(0, Pairs);
        }

        Task[] tasks = new Task[callers];
        for (int i = 0; i < tasks.Length; i++)
        {
            int index = i;
            tasks[i] = Task.Run(() => caller(index, Pairs / callers));
        }

        return Task.WhenAll(tasks);
    }

    private string NextKey() => "bench:" + _run + ":" + Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture);

    private async Task StoreCallerAsync(int caller, int pairs)
    {
        for (int i = 0; i < pairs; i++)
        {
            string key = NextKey();
            PostgreSqlWebhookEventStore store = _store!;
            WebhookBeginResult begun = await store.TryBeginAsync(key, Lease);
            if (begun.Status != WebhookBeginStatus.Began || !await store.CompleteAsync(key, begun.LeaseId))
            {
                throw new InvalidOperationException($"Store answered {begun.Status} for a fresh key.");
            }
        }
    }

    private async Task BareCallerAsync(BareCaller caller, int pairs)
    {
        for (int i = 0; i < pairs; i++)
        {
            if (!await caller.PairAsync(NextKey()))
            {
                throw new InvalidOperationException("The bare begin did not take a fresh key.");
            }
        }
    }

    /// <summary>One caller's open connection with the store's begin and complete statements prepared on it.</summary>
    private sealed class BareCaller : IDisposable
    {
        private readonly NpgsqlConnection _connection;
        private readonly NpgsqlCommand _begin;
        private readonly NpgsqlCommand _complete;

        public BareCaller(string connectionString, string begin, string complete)
        {
            _connection = new NpgsqlConnection(connectionString);
            _connection.Open();
            _begin = new NpgsqlCommand(begin, _connection);
            _begin.Parameters.Add(new NpgsqlParameter<string>());
            _begin.Parameters.Add(new NpgsqlParameter<Guid>());
            _begin.Parameters.Add(new NpgsqlParameter<DateTime>());
            _begin.Parameters.Add(new NpgsqlParameter<DateTime>());
            _begin.Prepare();
            _complete = new NpgsqlCommand(complete, _connection);
            _complete.Parameters.Add(new NpgsqlParameter<string>());
            _complete.Parameters.Add(new NpgsqlParameter<Guid>());
            _complete.Parameters.Add(new NpgsqlParameter<DateTime>());
            _complete.Prepare();
        }

        public async Task<bool> PairAsync(string key)
        {
            DateTime now = Now();
            Guid leaseId = Guid.NewGuid();
            ((NpgsqlParameter<string>)_begin.Parameters[0]).TypedValue = key;
            ((NpgsqlParameter<Guid>)_begin.Parameters[1]).TypedValue = leaseId;
            ((NpgsqlParameter<DateTime>)_begin.Parameters[2]).TypedValue = now + Lease;
            ((NpgsqlParameter<DateTime>)_begin.Parameters[3]).TypedValue = now;
            bool began;
            await using (NpgsqlDataReader reader = await _begin.ExecuteReaderAsync())
            {
                began = await reader.ReadAsync() && reader.GetBoolean(0);
            }

            ((NpgsqlParameter<string>)_complete.Parameters[0]).TypedValue = key;
            ((NpgsqlParameter<Guid>)_complete.Parameters[1]).TypedValue = leaseId;
            ((NpgsqlParameter<DateTime>)_complete.Parameters[2]).TypedValue = Now();
            return began && await _complete.ExecuteNonQueryAsync() == 1;
        }

        public void Dispose()
        {
            _begin.Dispose();
            _complete.Dispose();
            _connection.Dispose();
        }
    }
}
