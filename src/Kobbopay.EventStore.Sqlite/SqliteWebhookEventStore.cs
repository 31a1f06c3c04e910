using System.Globalization;
using Kobbopay.EventStore.Sqlite.Internal;
using Kobbopay.Webhooks;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kobbopay.EventStore.Sqlite;

/// <summary>
/// An <see cref="IWebhookEventStore"/> in a SQLite database file (WAL): the durable default for one application instance.
/// </summary>
/// <remarks>
/// <para>
/// One row per event key. Begin is a single upsert that takes the row only when it is new, or not completed with a lapsed
/// lease, inside <c>BEGIN IMMEDIATE</c>, so two deliveries never both begin. Complete and abandon are one statement on the
/// primary key and succeed only for the lease's holder. Times come from the <see cref="TimeProvider"/> given, never from
/// the database.
/// </para>
/// <para>
/// The store keeps one connection and runs one operation at a time (SQLite has one writer anyway); other processes on
/// the same file wait up to <see cref="SqliteWebhookEventStoreOptions.BusyTimeout"/> for the write lock. When the file
/// cannot be opened or written, every method throws (a <see cref="SqliteException"/>), never reporting an event as begun or
/// processed; the webhook endpoint answers 503 and the gateway retries.
/// </para>
/// </remarks>
public sealed class SqliteWebhookEventStore : IWebhookEventStore, IAsyncDisposable, IDisposable
{
    /// <summary>The schema version this package creates and expects.</summary>
    public const int SchemaVersion = 1;

    private static readonly TimeSpan MaxLease = TimeSpan.FromDays(365);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SqliteStatements _sql;
    private readonly string _connectionString;
    private readonly string _dataSource;
    private readonly bool _autoMigrate;
    private readonly bool _fullSync;
    private readonly TimeSpan _retention;
    private readonly TimeSpan _purgeInterval;
    private readonly TimeSpan _busyTimeout;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ITimer? _purgeTimer;
    private SqliteConnection? _connection; // guarded by _gate
    private bool _schemaReady; // guarded by _gate
    private int _unavailable;
    private int _purging;
    private volatile bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="SqliteWebhookEventStore"/> class. Nothing is opened until first use.</summary>
    /// <param name="options">The settings; they are copied.</param>
    /// <param name="timeProvider">The clock for leases and retention; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">Where to log; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid; the message names each setting.</exception>
    public SqliteWebhookEventStore(SqliteWebhookEventStoreOptions options, TimeProvider? timeProvider = null, ILogger<SqliteWebhookEventStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> failures = [.. options.Validate(SqliteWebhookEventStoreOptions.DefaultSectionName)];
        if (failures.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", failures), nameof(options));
        }

        _busyTimeout = options.BusyTimeout;
        SqliteConnectionStringBuilder builder = new(options.ConnectionString)
        {
            Pooling = false, // the store keeps its one connection open itself
            DefaultTimeout = (int)Math.Ceiling(_busyTimeout.TotalSeconds),
        };
        _connectionString = builder.ConnectionString;
        _dataSource = builder.DataSource;
        _sql = new SqliteStatements(options.TableName);
        _autoMigrate = options.AutoMigrate;
        _fullSync = options.FullSync;
        _retention = options.Retention;
        _purgeInterval = options.PurgeInterval;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        if (_purgeInterval > TimeSpan.Zero)
        {
            _purgeTimer = _timeProvider.CreateTimer(static state => ((SqliteWebhookEventStore)state!).PurgeInBackground(), this, _purgeInterval, _purgeInterval);
        }
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
        return await RunAsync("begin", (key, lease), static (store, connection, state) => store.Begin(connection, state.key, state.lease), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <exception cref="SqliteException">The database cannot be opened or written; the event is not recorded as processed.</exception>
    public async ValueTask<bool> CompleteAsync(string key, Guid leaseId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return await RunAsync("complete", (key, leaseId), static (store, connection, state) => store.Complete(connection, state.key, state.leaseId), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <exception cref="SqliteException">The database cannot be opened or written; the lease lapses by itself.</exception>
    public async ValueTask<bool> AbandonAsync(string key, Guid leaseId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return await RunAsync("abandon", (key, leaseId), static (store, connection, state) => store.Abandon(connection, state.key, state.leaseId), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>Removes records in batches, letting deliveries in between, so a large purge never holds the write lock for long.</remarks>
    /// <exception cref="SqliteException">The database cannot be opened or written.</exception>
    public async ValueTask<int> PurgeAsync(DateTimeOffset completedBefore, CancellationToken cancellationToken = default)
    {
        long cutoff = ToMicroseconds(completedBefore);
        int total = 0;
        while (true)
        {
            int removed = await RunAsync("purge", cutoff, static (store, connection, c) => store.PurgeBatch(connection, c), cancellationToken).ConfigureAwait(false);
            total += removed;
            if (removed < SqliteStatements.PurgeBatchSize)
            {
                return total;
            }
        }
    }

    /// <summary>Removes records of events completed longer ago than <see cref="SqliteWebhookEventStoreOptions.Retention"/>.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many records were removed.</returns>
    /// <exception cref="SqliteException">The database cannot be opened or written.</exception>
    public async ValueTask<int> PurgeExpiredAsync(CancellationToken cancellationToken = default)
    {
        DateTimeOffset cutoff = _timeProvider.GetUtcNow() - _retention;
        int removed = await PurgeAsync(cutoff, cancellationToken).ConfigureAwait(false);
        if (removed > 0)
        {
            SqliteEventStoreLog.Purged(_logger, _dataSource, removed, cutoff);
        }

        return removed;
    }

    /// <summary>Creates the database file, switches it to WAL, and creates or upgrades the schema to <see cref="SchemaVersion"/>. Safe to run from several processes at once.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the schema is current.</returns>
    /// <exception cref="SqliteException">The database cannot be opened or written.</exception>
    /// <exception cref="InvalidOperationException">The table's schema is newer than this package knows.</exception>
    public async Task MigrateAsync(CancellationToken cancellationToken = default) =>
        await RunAsync("migrate", 0, static (store, connection, _) => store.Migrate(connection), cancellationToken, migrating: true).ConfigureAwait(false);

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _purgeTimer?.Dispose();
        _gate.Wait();
        try
        {
            _connection?.Dispose();
            _connection = null;
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

    internal static long ToMicroseconds(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    internal static DateTimeOffset FromMicroseconds(long microseconds) => new(DateTimeOffset.UnixEpoch.UtcTicks + (microseconds * 10), TimeSpan.Zero);

    /// <summary>Opens a connection like the store's own, for tests and tools: WAL, busy timeout, the same file.</summary>
    internal SqliteConnection OpenConnection()
    {
        SqliteConnection connection = new(_connectionString);
        try
        {
            connection.Open();
            string synchronous = _fullSync ? "FULL" : "NORMAL";
            Execute(connection, $"PRAGMA busy_timeout = {(long)_busyTimeout.TotalMilliseconds}; PRAGMA journal_mode = WAL; PRAGMA synchronous = {synchronous};");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    internal SqliteStatements Statements => _sql;

    private static int Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command.ExecuteNonQuery();
    }

    private static string Describe(Exception exception) =>
        exception is SqliteException sqlite
            ? string.Create(CultureInfo.InvariantCulture, $"SQLite error {sqlite.SqliteErrorCode} ({sqlite.SqliteExtendedErrorCode}): {sqlite.Message}")
            : $"{exception.GetType().Name}: {exception.Message}";

    private async ValueTask<TResult> RunAsync<TState, TResult>(
        string operation,
        TState state,
        Func<SqliteWebhookEventStore, SqliteConnection, TState, TResult> work,
        CancellationToken cancellationToken,
        bool migrating = false)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            SqliteConnection connection = _connection ??= OpenConnection();
            if (!_schemaReady && !migrating)
            {
                if (_autoMigrate)
                {
                    Migrate(connection);
                }
                else
                {
                    CheckSchema(connection);
                }
            }

            TResult result = work(this, connection, state);
            if (Interlocked.Exchange(ref _unavailable, 0) == 1)
            {
                SqliteEventStoreLog.Recovered(_logger, _dataSource);
            }

            return result;
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not ObjectDisposedException)
        {
            // Start afresh on the next call: a broken connection is never reused.
            _connection?.Dispose();
            _connection = null;
            if (Interlocked.Exchange(ref _unavailable, 1) == 0)
            {
                SqliteEventStoreLog.Unavailable(_logger, ex, _dataSource, operation, Describe(ex));
            }
            else
            {
                SqliteEventStoreLog.StillUnavailable(_logger, _dataSource, operation, Describe(ex));
            }

            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    private WebhookBeginResult Begin(SqliteConnection connection, string key, TimeSpan lease)
    {
        long now = ToMicroseconds(_timeProvider.GetUtcNow());
        long expires = now + (lease.Ticks / 10);
        Guid leaseId = Guid.NewGuid();
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: take the write lock first
        using SqliteCommand begin = connection.CreateCommand();
        begin.Transaction = transaction;
        begin.CommandText = _sql.Begin;
        begin.Parameters.AddWithValue("$key", key);
        begin.Parameters.AddWithValue("$lease_id", leaseId);
        begin.Parameters.AddWithValue("$lease_expires_at", expires);
        begin.Parameters.AddWithValue("$now", now);
        bool began;
        using (SqliteDataReader reader = begin.ExecuteReader())
        {
            began = reader.Read();
        }

        WebhookBeginResult result;
        if (began)
        {
            result = new WebhookBeginResult(WebhookBeginStatus.Began, leaseId, FromMicroseconds(expires));
        }
        else
        {
            using SqliteCommand current = connection.CreateCommand();
            current.Transaction = transaction;
            current.CommandText = _sql.Current;
            current.Parameters.AddWithValue("$key", key);
            using SqliteDataReader reader = current.ExecuteReader();
            if (!reader.Read())
            {
                // Cannot happen under the write lock: the upsert found the row and nobody else could remove it.
                throw new InvalidOperationException($"The row of an event vanished within one transaction of table {_sql.TableName}.");
            }

            result = reader.IsDBNull(1)
                ? new WebhookBeginResult(WebhookBeginStatus.InProgress, Guid.Empty, FromMicroseconds(reader.GetInt64(0)))
                : new WebhookBeginResult(WebhookBeginStatus.Duplicate, Guid.Empty, null);
        }

        transaction.Commit();
        return result;
    }

    private bool Complete(SqliteConnection connection, string key, Guid leaseId)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = _sql.Complete;
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$lease_id", leaseId);
        command.Parameters.AddWithValue("$now", ToMicroseconds(_timeProvider.GetUtcNow()));
        return command.ExecuteNonQuery() == 1;
    }

    private bool Abandon(SqliteConnection connection, string key, Guid leaseId)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = _sql.Abandon;
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$lease_id", leaseId);
        return command.ExecuteNonQuery() == 1;
    }

    private int PurgeBatch(SqliteConnection connection, long cutoff)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = _sql.Purge;
        command.Parameters.AddWithValue("$cutoff", cutoff);
        return command.ExecuteNonQuery();
    }

    private int Migrate(SqliteConnection connection)
    {
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        Execute(connection, SqliteStatements.CreateSchemaVersionTable, transaction);
        int from = ReadVersion(connection, transaction);
        if (from > SchemaVersion)
        {
            throw NewerSchema(from);
        }

        for (int version = from; version < SchemaVersion; version++)
        {
            Execute(connection, _sql.Migrations[version], transaction);
        }

        if (from < SchemaVersion)
        {
            using SqliteCommand write = connection.CreateCommand();
            write.Transaction = transaction;
            write.CommandText = SqliteStatements.WriteSchemaVersion;
            write.Parameters.AddWithValue("$table", _sql.TableName);
            write.Parameters.AddWithValue("$version", SchemaVersion);
            write.Parameters.AddWithValue("$now", ToMicroseconds(_timeProvider.GetUtcNow()));
            write.ExecuteNonQuery();
        }

        transaction.Commit();
        _schemaReady = true;
        if (from < SchemaVersion)
        {
            SqliteEventStoreLog.Migrated(_logger, _dataSource, _sql.TableName, from, SchemaVersion);
        }

        return from;
    }

    private void CheckSchema(SqliteConnection connection)
    {
        Execute(connection, SqliteStatements.CreateSchemaVersionTable);
        int version = ReadVersion(connection, null);
        if (version > SchemaVersion)
        {
            throw NewerSchema(version);
        }

        if (version < SchemaVersion)
        {
            throw new InvalidOperationException(
                $"Table {_sql.TableName} in {_dataSource} is at schema version {version}, this package needs {SchemaVersion}, and AutoMigrate is off: call SqliteWebhookEventStore.MigrateAsync() when deploying, or set {SqliteWebhookEventStoreOptions.DefaultSectionName}:AutoMigrate to true.");
        }

        _schemaReady = true;
    }

    private int ReadVersion(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using SqliteCommand read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = SqliteStatements.ReadSchemaVersion;
        read.Parameters.AddWithValue("$table", _sql.TableName);
        object? value = read.ExecuteScalar();
        return value is null or DBNull ? 0 : Convert.ToInt32(value, CultureInfo.InvariantCulture);
    }

    private InvalidOperationException NewerSchema(int version) =>
        new($"Table {_sql.TableName} in {_dataSource} is at schema version {version}, newer than this Kobbopay.EventStore.Sqlite supports ({SchemaVersion}): upgrade the package.");

    private void PurgeInBackground()
    {
        if (_disposed || Interlocked.Exchange(ref _purging, 1) == 1)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await PurgeExpiredAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not ObjectDisposedException)
            {
                SqliteEventStoreLog.PurgeFailed(_logger, ex, _dataSource, _purgeInterval);
            }
            catch (ObjectDisposedException)
            {
                // The store closed while purging; nothing left to do.
            }
            finally
            {
                Volatile.Write(ref _purging, 0);
            }
        });
    }
}
