using System.Data.Common;
using System.Runtime.CompilerServices;
using Kobbopay.EventStore.PostgreSql.Internal;
using Kobbopay.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Kobbopay.EventStore.PostgreSql;

/// <summary>
/// An <see cref="IWebhookEventStore"/> in PostgreSQL: the store for many application instances behind a load balancer.
/// </summary>
/// <remarks>
/// <para>
/// One row per event key, with a unique key and a lease; no coordination of its own. Begin is one
/// <c>INSERT … ON CONFLICT (key) DO UPDATE … WHERE</c> the row is not completed and its lease has lapsed: PostgreSQL
/// locks the conflicting row and re-checks the condition, so of any number of instances exactly one begins. Complete and
/// abandon are one statement on the primary key each and succeed only for the lease's holder. Times come from the
/// <see cref="TimeProvider"/> given, never from the server's clock, so all instances should keep their clocks in sync
/// (NTP) and leases should be much longer than any clock skew.
/// </para>
/// <para>
/// When the server cannot be reached, or a statement fails, every method throws (an <see cref="NpgsqlException"/> or
/// another <see cref="DbException"/>), never reporting an event as begun or processed; the webhook endpoint answers 503 and
/// the gateway retries. The first failure is logged once as an error naming the server (never the password), and the
/// recovery once as information.
/// </para>
/// </remarks>
public sealed class PostgreSqlWebhookEventStore : IWebhookEventStore, IAsyncDisposable, IDisposable
{
    /// <summary>The schema version this package creates and expects.</summary>
    public const int SchemaVersion = 1;

    private static readonly TimeSpan MaxLease = TimeSpan.FromDays(365);

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly PostgreSqlStatements _sql;
    private readonly string _server;
    private readonly bool _autoMigrate;
    private readonly TimeSpan _retention;
    private readonly TimeSpan _purgeInterval;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ITimer? _purgeTimer;
    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private volatile bool _schemaReady;
    private int _unavailable;
    private int _purging;
    private volatile bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="PostgreSqlWebhookEventStore"/> class with a data source of its own, built from <see cref="PostgreSqlWebhookEventStoreOptions.ConnectionString"/>. Nothing is opened until first use.</summary>
    /// <param name="options">The settings; they are copied.</param>
    /// <param name="timeProvider">The clock for leases and retention; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">Where to log; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid; the message names each setting.</exception>
    public PostgreSqlWebhookEventStore(PostgreSqlWebhookEventStoreOptions options, TimeProvider? timeProvider = null, ILogger<PostgreSqlWebhookEventStore>? logger = null)
        : this(CreateDataSource(options), ownsDataSource: true, options, timeProvider, logger)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PostgreSqlWebhookEventStore"/> class on a data source the caller owns (and disposes). <see cref="PostgreSqlWebhookEventStoreOptions.ConnectionString"/> is ignored.</summary>
    /// <param name="dataSource">Where to connect.</param>
    /// <param name="options">The settings; they are copied.</param>
    /// <param name="timeProvider">The clock for leases and retention; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">Where to log; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid; the message names each setting.</exception>
    public PostgreSqlWebhookEventStore(NpgsqlDataSource dataSource, PostgreSqlWebhookEventStoreOptions options, TimeProvider? timeProvider = null, ILogger<PostgreSqlWebhookEventStore>? logger = null)
        : this(dataSource, ownsDataSource: false, Validated(options, requireConnectionString: false), timeProvider, logger)
    {
    }

    private PostgreSqlWebhookEventStore(NpgsqlDataSource dataSource, bool ownsDataSource, PostgreSqlWebhookEventStoreOptions options, TimeProvider? timeProvider, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _server = PostgreSqlWebhookEventStoreOptions.DescribeServer(dataSource.ConnectionString);
        _sql = new PostgreSqlStatements(options.Schema, options.TableName);
        _autoMigrate = options.AutoMigrate;
        _retention = options.Retention;
        _purgeInterval = options.PurgeInterval;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        if (_purgeInterval > TimeSpan.Zero)
        {
            _purgeTimer = _timeProvider.CreateTimer(static state => ((PostgreSqlWebhookEventStore)state!).PurgeInBackground(), this, _purgeInterval, _purgeInterval);
        }
    }

    /// <summary>Gets the schema-qualified name of the events table.</summary>
    public string TableName => _sql.Schema + "." + _sql.TableName;

    /// <inheritdoc/>
    /// <exception cref="NpgsqlException">The server cannot be reached or the statement failed; nothing was begun.</exception>
    public async ValueTask<WebhookBeginResult> TryBeginAsync(string key, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lease, MaxLease);
        try
        {
            await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
            WebhookBeginResult result = await BeginAsync(key, lease, cancellationToken).ConfigureAwait(false);
            Available();
            return result;
        }
        catch (Exception ex) when (IsFailure(ex, cancellationToken))
        {
            Unavailable("begin", ex);
            throw;
        }
    }

    /// <inheritdoc/>
    /// <exception cref="NpgsqlException">The server cannot be reached or the statement failed; the event is not recorded as processed.</exception>
    public async ValueTask<bool> CompleteAsync(string key, Guid leaseId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        try
        {
            await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
            NpgsqlCommand command = _dataSource.CreateCommand(_sql.Complete);
            await using ConfiguredAsyncDisposable commandScope = command.ConfigureAwait(false);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = leaseId });
            command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = Now().UtcDateTime });
            bool completed = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
            Available();
            return completed;
        }
        catch (Exception ex) when (IsFailure(ex, cancellationToken))
        {
            Unavailable("complete", ex);
            throw;
        }
    }

    /// <inheritdoc/>
    /// <exception cref="NpgsqlException">The server cannot be reached or the statement failed; the lease lapses by itself.</exception>
    public async ValueTask<bool> AbandonAsync(string key, Guid leaseId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        try
        {
            await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
            NpgsqlCommand command = _dataSource.CreateCommand(_sql.Abandon);
            await using ConfiguredAsyncDisposable commandScope = command.ConfigureAwait(false);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = leaseId });
            bool abandoned = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
            Available();
            return abandoned;
        }
        catch (Exception ex) when (IsFailure(ex, cancellationToken))
        {
            Unavailable("abandon", ex);
            throw;
        }
    }

    /// <inheritdoc/>
    /// <remarks>Removes records in batches of short transactions; instances purging at once share the work.</remarks>
    /// <exception cref="NpgsqlException">The server cannot be reached or the statement failed.</exception>
    public async ValueTask<int> PurgeAsync(DateTimeOffset completedBefore, CancellationToken cancellationToken = default)
    {
        try
        {
            await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
            int total = 0;
            while (true)
            {
                NpgsqlCommand command = _dataSource.CreateCommand(_sql.Purge);
                await using ConfiguredAsyncDisposable commandScope = command.ConfigureAwait(false);
                command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = completedBefore.UtcDateTime });
                int removed = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                total += removed;
                if (removed < PostgreSqlStatements.PurgeBatchSize)
                {
                    Available();
                    return total;
                }
            }
        }
        catch (Exception ex) when (IsFailure(ex, cancellationToken))
        {
            Unavailable("purge", ex);
            throw;
        }
    }

    /// <summary>Removes records of events completed longer ago than <see cref="PostgreSqlWebhookEventStoreOptions.Retention"/>.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many records were removed.</returns>
    /// <exception cref="NpgsqlException">The server cannot be reached or the statement failed.</exception>
    public async ValueTask<int> PurgeExpiredAsync(CancellationToken cancellationToken = default)
    {
        DateTimeOffset cutoff = _timeProvider.GetUtcNow() - _retention;
        int removed = await PurgeAsync(cutoff, cancellationToken).ConfigureAwait(false);
        if (removed > 0)
        {
            PostgreSqlEventStoreLog.Purged(_logger, _server, removed, cutoff);
        }

        return removed;
    }

    /// <summary>
    /// Creates the schema (when missing) and the tables, or upgrades them to <see cref="SchemaVersion"/>, in one
    /// transaction under an advisory lock: safe to run from every instance at once.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the schema is current.</returns>
    /// <exception cref="NpgsqlException">The server cannot be reached, or the role may not create the schema or tables.</exception>
    /// <exception cref="InvalidOperationException">The table's schema is newer than this package knows.</exception>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await _schemaGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await MigrateCoreAsync(cancellationToken).ConfigureAwait(false);
                _schemaReady = true;
            }
            finally
            {
                _schemaGate.Release();
            }
        }
        catch (Exception ex) when (IsFailure(ex, cancellationToken))
        {
            Unavailable("migrate", ex);
            throw;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _purgeTimer?.Dispose();
        if (_ownsDataSource)
        {
            _dataSource.Dispose();
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_purgeTimer is not null)
        {
            await _purgeTimer.DisposeAsync().ConfigureAwait(false);
        }

        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    internal PostgreSqlStatements Statements => _sql;

    internal NpgsqlDataSource DataSource => _dataSource;

    private static PostgreSqlWebhookEventStoreOptions Validated(PostgreSqlWebhookEventStoreOptions options, bool requireConnectionString)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> failures = [.. options.Validate(PostgreSqlWebhookEventStoreOptions.DefaultSectionName, requireConnectionString)];
        return failures.Count > 0 ? throw new ArgumentException(string.Join(" ", failures), nameof(options)) : options;
    }

    private static NpgsqlDataSource CreateDataSource(PostgreSqlWebhookEventStoreOptions options)
    {
        Validated(options, requireConnectionString: true);
        NpgsqlSlimDataSourceBuilder builder = new(options.ConnectionString);
        if (string.IsNullOrEmpty(builder.ConnectionStringBuilder.ApplicationName))
        {
            builder.ConnectionStringBuilder.ApplicationName = "Kobbopay.EventStore.PostgreSql";
        }

        return builder.Build();
    }

    private static bool IsFailure(Exception exception, CancellationToken cancellationToken) =>
        !(exception is OperationCanceledException && cancellationToken.IsCancellationRequested) && exception is not ObjectDisposedException;

    private static string Describe(Exception exception) => exception switch
    {
        PostgresException pg => $"{pg.SqlState} {pg.MessageText}",
        NpgsqlException { InnerException: { } inner } npgsql => $"{npgsql.Message} ({inner.GetType().Name}: {inner.Message})",
        _ => $"{exception.GetType().Name}: {exception.Message}",
    };

    /// <summary>Reads the clock, truncated to PostgreSQL's microsecond precision so that what is returned is what is stored.</summary>
    private DateTimeOffset Now()
    {
        DateTimeOffset now = _timeProvider.GetUtcNow();
        return new DateTimeOffset(now.UtcTicks - (now.UtcTicks % 10), TimeSpan.Zero);
    }

    private async ValueTask<WebhookBeginResult> BeginAsync(string key, TimeSpan lease, CancellationToken cancellationToken)
    {
        // A row can be seen by neither branch of the statement only when another transaction inserted it after this
        // statement's snapshot, and then lost it again (abandoned) before the follow-up read: a few attempts settle it.
        for (int attempt = 1; ; attempt++)
        {
            DateTimeOffset now = Now();
            DateTimeOffset expires = now + TimeSpan.FromTicks(lease.Ticks - (lease.Ticks % 10));
            Guid leaseId = Guid.NewGuid();
            NpgsqlCommand command = _dataSource.CreateCommand(_sql.Begin);
            await using (command.ConfigureAwait(false))
            {
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
                command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = leaseId });
                command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = expires.UtcDateTime });
                command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = now.UtcDateTime });
                NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using ConfiguredAsyncDisposable readerScope = reader.ConfigureAwait(false);
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return reader.GetBoolean(0)
                        ? new WebhookBeginResult(WebhookBeginStatus.Began, leaseId, expires)
                        : Found(reader);
                }
            }

            WebhookBeginResult? current = await CurrentAsync(key, cancellationToken).ConfigureAwait(false);
            if (current is { } found)
            {
                return found;
            }

            if (attempt == 3)
            {
                // Each attempt saw the row come and go: treat it as held, so the gateway retries a little later.
                return new WebhookBeginResult(WebhookBeginStatus.InProgress, Guid.Empty, null);
            }
        }
    }

    private async ValueTask<WebhookBeginResult?> CurrentAsync(string key, CancellationToken cancellationToken)
    {
        NpgsqlCommand command = _dataSource.CreateCommand(_sql.Current);
        await using ConfiguredAsyncDisposable commandScope = command.ConfigureAwait(false);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable readerScope = reader.ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        bool completed = !reader.IsDBNull(1);
        return completed
            ? new WebhookBeginResult(WebhookBeginStatus.Duplicate, Guid.Empty, null)
            : new WebhookBeginResult(WebhookBeginStatus.InProgress, Guid.Empty, new DateTimeOffset(reader.GetFieldValue<DateTime>(0), TimeSpan.Zero));
    }

    // Columns 1 and 2 of the begin statement's second branch: lease_expires_at, completed_at.
    private static WebhookBeginResult Found(NpgsqlDataReader reader) =>
        !reader.IsDBNull(2)
            ? new WebhookBeginResult(WebhookBeginStatus.Duplicate, Guid.Empty, null)
            : new WebhookBeginResult(WebhookBeginStatus.InProgress, Guid.Empty, new DateTimeOffset(reader.GetFieldValue<DateTime>(1), TimeSpan.Zero));

    private async ValueTask EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_schemaReady)
        {
            return;
        }

        await _schemaGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_schemaReady)
            {
                return;
            }

            if (_autoMigrate)
            {
                await MigrateCoreAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await CheckSchemaAsync(cancellationToken).ConfigureAwait(false);
            }

            _schemaReady = true;
        }
        finally
        {
            _schemaGate.Release();
        }
    }

    private async Task MigrateCoreAsync(CancellationToken cancellationToken)
    {
        NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable connectionScope = connection.ConfigureAwait(false);
        NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable transactionScope = transaction.ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, PostgreSqlStatements.TakeMigrationLock, cancellationToken).ConfigureAwait(false);

        bool schemaExists = await ScalarAsync<bool>(connection, transaction, PostgreSqlStatements.SchemaExists, _sql.Schema, cancellationToken).ConfigureAwait(false);
        if (!schemaExists)
        {
            // Only when missing: CREATE SCHEMA IF NOT EXISTS needs the CREATE privilege even when the schema exists.
            await ExecuteAsync(connection, transaction, _sql.CreateSchema, cancellationToken).ConfigureAwait(false);
        }

        await ExecuteAsync(connection, transaction, _sql.CreateSchemaVersionTable, cancellationToken).ConfigureAwait(false);
        int from = await ReadVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        if (from > SchemaVersion)
        {
            throw NewerSchema(from);
        }

        for (int version = from; version < SchemaVersion; version++)
        {
            await ExecuteAsync(connection, transaction, _sql.Migrations[version], cancellationToken).ConfigureAwait(false);
        }

        if (from < SchemaVersion)
        {
            NpgsqlCommand write = new(_sql.WriteSchemaVersion, connection, transaction);
            await using ConfiguredAsyncDisposable writeScope = write.ConfigureAwait(false);
            write.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _sql.TableName });
            write.Parameters.Add(new NpgsqlParameter<int> { TypedValue = SchemaVersion });
            write.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = Now().UtcDateTime });
            await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        if (from < SchemaVersion)
        {
            PostgreSqlEventStoreLog.Migrated(_logger, _server, TableName, from, SchemaVersion);
        }
    }

    private async Task CheckSchemaAsync(CancellationToken cancellationToken)
    {
        NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable connectionScope = connection.ConfigureAwait(false);
        bool hasVersionTable = await ScalarAsync<bool>(connection, null, PostgreSqlStatements.SchemaVersionTableExists, _sql.Schema, cancellationToken).ConfigureAwait(false);
        int version = hasVersionTable ? await ReadVersionAsync(connection, null, cancellationToken).ConfigureAwait(false) : 0;
        if (version > SchemaVersion)
        {
            throw NewerSchema(version);
        }

        if (version < SchemaVersion)
        {
            throw new InvalidOperationException(
                $"Table {TableName} on {_server} is at schema version {version}, this package needs {SchemaVersion}, and AutoMigrate is off: call PostgreSqlWebhookEventStore.MigrateAsync() when deploying, or set {PostgreSqlWebhookEventStoreOptions.DefaultSectionName}:AutoMigrate to true.");
        }
    }

    private async Task<int> ReadVersionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        NpgsqlCommand read = new(_sql.ReadSchemaVersion, connection, transaction);
        await using ConfiguredAsyncDisposable readScope = read.ConfigureAwait(false);
        read.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _sql.TableName });
        object? value = await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is int version ? version : 0;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        NpgsqlCommand command = new(sql, connection, transaction);
        await using ConfiguredAsyncDisposable commandScope = command.ConfigureAwait(false);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, string argument, CancellationToken cancellationToken)
    {
        NpgsqlCommand command = new(sql, connection, transaction);
        await using ConfiguredAsyncDisposable commandScope = command.ConfigureAwait(false);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = argument });
        object? value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is T typed ? typed : throw new InvalidOperationException($"Unexpected answer from the server to: {sql}");
    }

    private InvalidOperationException NewerSchema(int version) =>
        new($"Table {TableName} on {_server} is at schema version {version}, newer than this Kobbopay.EventStore.PostgreSql supports ({SchemaVersion}): upgrade the package.");

    private void Available()
    {
        if (Volatile.Read(ref _unavailable) == 1 && Interlocked.Exchange(ref _unavailable, 0) == 1)
        {
            PostgreSqlEventStoreLog.Recovered(_logger, _server);
        }
    }

    private void Unavailable(string operation, Exception exception)
    {
        if (Interlocked.Exchange(ref _unavailable, 1) == 0)
        {
            PostgreSqlEventStoreLog.Unavailable(_logger, exception, _server, operation, Describe(exception));
        }
        else
        {
            PostgreSqlEventStoreLog.StillUnavailable(_logger, _server, operation, Describe(exception));
        }
    }

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
            catch (ObjectDisposedException)
            {
                // The store closed while purging; nothing left to do.
            }
            catch (Exception ex)
            {
                PostgreSqlEventStoreLog.PurgeFailed(_logger, ex, _server, _purgeInterval);
            }
            finally
            {
                Volatile.Write(ref _purging, 0);
            }
        });
    }
}
