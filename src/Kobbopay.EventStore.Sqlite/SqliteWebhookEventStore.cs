using System.Collections.Concurrent;
using System.Globalization;
using Kobbopay.EventStore.Internal;
using Kobbopay.EventStore.Sqlite.Internal;
using Kobbopay.Webhooks;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kobbopay.EventStore.Sqlite;

/// <summary>
/// An <see cref="IWebhookEventStore"/> in a SQLite database file (WAL): the durable default for one application instance.
/// It remembers the highest sequence handled per payment too (<see cref="IWebhookSequenceStore"/>), in a table beside the
/// events (<c>{TableName}_sequences</c>), raised in the same transaction as the event's complete.
/// </summary>
/// <remarks>
/// <para>
/// One row per event key. Begin is a single upsert that takes the row only when it is new, or not completed with a lapsed
/// lease, inside <c>BEGIN IMMEDIATE</c>, so two deliveries never both begin. Complete and abandon are one statement on the
/// primary key and succeed only for the lease's holder. Times come from the <see cref="TimeProvider"/> given, never from
/// the database.
/// </para>
/// <para>
/// The store keeps one connection, with its statements prepared once and reused, and runs one operation at a time (SQLite
/// has one writer anyway); other processes on the same file wait up to <see cref="SqliteWebhookEventStoreOptions.BusyTimeout"/> for the write lock. When the file
/// cannot be opened or written, every method throws (a <see cref="SqliteException"/>), never reporting an event as begun or
/// processed; the webhook endpoint answers 503 and the gateway retries.
/// </para>
/// </remarks>
public sealed class SqliteWebhookEventStore : IWebhookSequenceStore, IWebhookStoreProbe, IAsyncDisposable, IDisposable
{
    /// <summary>The schema version this package creates and expects.</summary>
    /// <remarks>Version 2 added the table of the highest sequence handled per payment; a version 1 database is upgraded in place.</remarks>
    public const int SchemaVersion = 2;

    private static readonly TimeSpan MaxLease = TimeSpan.FromDays(365);

    private const int MaxBatch = 64;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentQueue<SqliteWrite> _writes = new();
    private readonly List<SqliteWrite> _batch = new(MaxBatch); // guarded by _gate
    private readonly SqliteStatements _sql;
    private readonly TimeProvider _clock;
    private readonly SqliteMigrations _migrations;
    private readonly EventStoreAvailability _availability;
    private readonly EventStorePurgeSchedule _purge;
    private readonly string _connectionString;
    private readonly bool _autoMigrate;
    private readonly bool _fullSync;
    private readonly TimeSpan _busyTimeout;
    private SqliteEventTable? _table; // the open connection and its prepared statements; guarded by _gate
    private bool _schemaReady; // guarded by _gate
    private volatile bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="SqliteWebhookEventStore"/> class. Nothing is opened until first use.</summary>
    /// <param name="options">The settings; they are copied.</param>
    /// <param name="timeProvider">The clock for leases and retention; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">Where to log; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid; the message names each setting.</exception>
    public SqliteWebhookEventStore(SqliteWebhookEventStoreOptions options, TimeProvider? timeProvider = null, ILogger<SqliteWebhookEventStore>? logger = null)
    {
        EventStoreOptionsCheck.Valid(options, new SqliteWebhookEventStoreOptionsValidator(), new SqliteWebhookEventStoreOptionsCrossFieldValidator());
        _busyTimeout = options.BusyTimeout;
        SqliteConnectionStringBuilder builder = new(options.ConnectionString)
        {
            Pooling = false, // the store keeps its one connection open itself
            DefaultTimeout = (int)Math.Ceiling(_busyTimeout.TotalSeconds),
        };
        _connectionString = builder.ConnectionString;
        _sql = new SqliteStatements(options.TableName);
        _autoMigrate = options.AutoMigrate;
        _fullSync = options.FullSync;
        _clock = timeProvider ?? TimeProvider.System;
        ILogger log = (ILogger?)logger ?? NullLogger.Instance;
        _migrations = new SqliteMigrations(_sql, _clock, builder.DataSource, log);
        _availability = new EventStoreAvailability(builder.DataSource, Describe, log);
        _purge = new EventStorePurgeSchedule(PurgeAsync, options.Retention, options.PurgeInterval, _clock, builder.DataSource, log);
    }

    /// <summary>Gets the name of the events table.</summary>
    public string TableName => _sql.TableName;

    /// <inheritdoc/>
    /// <exception cref="SqliteException">The database cannot be opened or written; nothing was begun.</exception>
    public async ValueTask<WebhookBeginResult> TryBeginAsync(string key, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lease, MaxLease);
        return await WriteAsync(new SqliteWrite<(string Key, TimeSpan Lease), WebhookBeginResult>("begin", needsTransaction: true, (key, lease), static (table, state) => table.Begin(state.Key, state.Lease)), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <exception cref="SqliteException">The database cannot be opened or written; the event is not recorded as processed.</exception>
    public async ValueTask<bool> CompleteAsync(string key, Guid leaseId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return await WriteAsync(new SqliteWrite<(string Key, Guid LeaseId), bool>("complete", needsTransaction: false, (key, leaseId), static (table, state) => table.Complete(state.Key, state.LeaseId)), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>The complete and the raise of the sequence run in one transaction: both are kept, or neither.</remarks>
    /// <exception cref="SqliteException">The database cannot be opened or written; neither is recorded.</exception>
    public async ValueTask<bool> CompleteAsync(string key, Guid leaseId, string paymentKey, long sequence, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentException.ThrowIfNullOrEmpty(paymentKey);
        return await WriteAsync(
            new SqliteWrite<(string Key, Guid LeaseId, string PaymentKey, long Sequence), bool>(
                "complete", needsTransaction: true, (key, leaseId, paymentKey, sequence), static (table, state) =>
                {
                    table.RaiseSequence(state.PaymentKey, state.Sequence);
                    return table.Complete(state.Key, state.LeaseId);
                }),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <exception cref="SqliteException">The database cannot be opened or read.</exception>
    public async ValueTask<long?> GetHandledSequenceAsync(string paymentKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(paymentKey);
        return await RunAsync("sequence read", paymentKey, static (table, key) => table.HandledSequence(key), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <exception cref="SqliteException">The database cannot be opened or written; the sequence is not recorded.</exception>
    public async ValueTask RecordHandledSequenceAsync(string paymentKey, long sequence, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(paymentKey);
        await WriteAsync(new SqliteWrite<(string PaymentKey, long Sequence), bool>("sequence", needsTransaction: false, (paymentKey, sequence), static (table, state) => table.RaiseSequence(state.PaymentKey, state.Sequence)), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <exception cref="SqliteException">The database cannot be opened or written; the lease lapses by itself.</exception>
    public async ValueTask<bool> AbandonAsync(string key, Guid leaseId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return await WriteAsync(new SqliteWrite<(string Key, Guid LeaseId), bool>("abandon", needsTransaction: false, (key, leaseId), static (table, state) => table.Abandon(state.Key, state.LeaseId)), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>Removes records in batches, letting deliveries in between, so a large purge never holds the write lock for long.</remarks>
    /// <exception cref="SqliteException">The database cannot be opened or written.</exception>
    public async ValueTask<int> PurgeAsync(DateTimeOffset completedBefore, CancellationToken cancellationToken = default)
    {
        long cutoff = SqliteEventTable.ToMicroseconds(completedBefore);
        int total = 0;
        while (true)
        {
            int removed = await RunAsync("purge", cutoff, static (table, c) => table.PurgeBatch(c), cancellationToken).ConfigureAwait(false);
            total += removed;
            if (removed < SqliteStatements.PurgeBatchSize)
            {
                return total;
            }
        }
    }

    /// <inheritdoc/>
    public string Database => _availability.Database;

    /// <inheritdoc/>
    /// <remarks>Reads at most one row of the events table (after creating or checking the schema, as every operation does); a failure is logged as an outage like any other.</remarks>
    /// <exception cref="SqliteException">The database cannot be opened or read.</exception>
    public async ValueTask ProbeAsync(CancellationToken cancellationToken = default) =>
        await RunAsync("probe", 0, static (table, _) => table.Probe(), cancellationToken).ConfigureAwait(false);

    /// <summary>Removes records of events completed longer ago than <see cref="SqliteWebhookEventStoreOptions.Retention"/>.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many records were removed.</returns>
    /// <exception cref="SqliteException">The database cannot be opened or written.</exception>
    public ValueTask<int> PurgeExpiredAsync(CancellationToken cancellationToken = default) => _purge.PurgeExpiredAsync(cancellationToken);

    /// <summary>Creates the database file, switches it to WAL, and creates or upgrades the schema to <see cref="SchemaVersion"/>. Safe to run from several processes at once.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the schema is current.</returns>
    /// <exception cref="SqliteException">The database cannot be opened or written.</exception>
    /// <exception cref="InvalidOperationException">The table's schema is newer than this package knows.</exception>
    public async Task MigrateAsync(CancellationToken cancellationToken = default) =>
        await RunAsync("migrate", this, static (table, store) => store.Migrate(table.Connection), cancellationToken, migrating: true).ConfigureAwait(false);

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _purge.Dispose();
        _gate.Wait();
        try
        {
            _table?.Dispose();
            _table = null;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return default;
    }

    /// <summary>Opens a connection like the store's own, for tests and tools: WAL, busy timeout, the same file.</summary>
    internal SqliteConnection OpenConnection()
    {
        SqliteConnection connection = new(_connectionString);
        try
        {
            connection.Open();
            string synchronous = _fullSync ? "FULL" : "NORMAL";
            SqliteMigrations.Execute(connection, $"PRAGMA busy_timeout = {(long)_busyTimeout.TotalMilliseconds}; PRAGMA journal_mode = WAL; PRAGMA synchronous = {synchronous};");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    internal SqliteStatements Statements => _sql;

    /// <summary>Gets the purge the store's timer started last, for tests.</summary>
    internal Task BackgroundPurge => _purge.Background;

    private static string Describe(Exception exception) =>
        exception is SqliteException sqlite
            ? string.Create(CultureInfo.InvariantCulture, $"SQLite error {sqlite.SqliteErrorCode} ({sqlite.SqliteExtendedErrorCode}): {sqlite.Message}")
            : $"{exception.GetType().Name}: {exception.Message}";

    private bool Migrate(SqliteConnection connection)
    {
        _migrations.Migrate(connection);
        _schemaReady = true;
        return true;
    }

    /// <summary>Opens the connection when needed and makes sure of the schema first (unless migrating). Under the gate.</summary>
    private SqliteEventTable Open(bool migrating = false)
    {
        SqliteEventTable table = _table ??= new SqliteEventTable(OpenConnection(), _sql, _clock);
        if (!_schemaReady && !migrating)
        {
            if (_autoMigrate)
            {
                _migrations.Migrate(table.Connection);
            }
            else
            {
                _migrations.Check(table.Connection);
            }

            _schemaReady = true;
        }

        return table;
    }

    /// <summary>
    /// Runs a begin, complete or abandon with group commit: the write is queued, and whichever caller holds the connection
    /// runs every queued write (up to <see cref="MaxBatch"/>) in one <c>BEGIN IMMEDIATE</c> ... <c>COMMIT</c>. Each caller is
    /// answered only after the commit of the transaction its write ran in, so a completed event is as durable when
    /// <see cref="CompleteAsync(string, Guid, CancellationToken)"/> returns as with a commit of its own; when the transaction fails, every write in it fails
    /// and nothing of it is kept. Alone, a write is a transaction of one.
    /// </summary>
    private async ValueTask<TResult> WriteAsync<TState, TResult>(SqliteWrite<TState, TResult> write, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        _writes.Enqueue(write);
        try
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!write.TryWithdraw())
        {
            // Too late to withdraw: a writer took it, and answers it.
            return await write.Answer.ConfigureAwait(false);
        }

        try
        {
            if (_disposed && write.TryWithdraw())
            {
                throw new ObjectDisposedException(GetType().FullName);
            }

            while (!write.IsTaken)
            {
                RunBatch();
            }
        }
        finally
        {
            _gate.Release();
        }

        return await write.Answer.ConfigureAwait(false);
    }

    /// <summary>Runs the queued writes in one transaction and answers each after its commit. Under the gate.</summary>
    private void RunBatch()
    {
        List<SqliteWrite> batch = _batch;
        batch.Clear();
        while (batch.Count < MaxBatch && _writes.TryDequeue(out SqliteWrite? next))
        {
            if (next.TryTake())
            {
                batch.Add(next);
            }
        }

        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            SqliteEventTable table = Open();

            // A complete or abandon alone is one statement: it commits by itself, without BEGIN and COMMIT around it.
            bool transaction = batch.Count > 1 || batch[0].NeedsTransaction;
            if (transaction)
            {
                table.BeginImmediate();
            }

            foreach (SqliteWrite write in batch)
            {
                write.Run(table);
            }

            if (transaction)
            {
                table.Commit();
            }

            _availability.Available();
        }
        catch (Exception ex)
        {
            // Start afresh on the next call: a broken connection is never reused (disposing it rolls the transaction back).
            _table?.Dispose();
            _table = null;
            _availability.Unavailable(batch[0].Operation, ex);
            foreach (SqliteWrite write in batch)
            {
                write.Fail(ex);
            }

            return;
        }

        foreach (SqliteWrite write in batch)
        {
            write.Succeed();
        }
    }

    /// <summary>Runs one operation on the store's connection, one at a time: opens it when needed, makes sure of the schema first, and tracks availability.</summary>
    private async ValueTask<TResult> RunAsync<TState, TResult>(
        string operation,
        TState state,
        Func<SqliteEventTable, TState, TResult> work,
        CancellationToken cancellationToken,
        bool migrating = false)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            TResult result = work(Open(migrating), state);
            _availability.Available();
            return result;
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not ObjectDisposedException)
        {
            // Start afresh on the next call: a broken connection is never reused (disposing it rolls back a transaction
            // left open by the failed call).
            _table?.Dispose();
            _table = null;
            _availability.Unavailable(operation, ex);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }
}
