using System.Data.Common;
using Kobbopay.EventStore.Internal;
using Kobbopay.EventStore.PostgreSql.Internal;
using Kobbopay.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Kobbopay.EventStore.PostgreSql;

/// <summary>
/// An <see cref="IWebhookEventStore"/> in PostgreSQL: the store for many application instances behind a load balancer.
/// It remembers the highest sequence handled per payment too (<see cref="IWebhookSequenceStore"/>), in a table beside the
/// events (<c>{TableName}_sequences</c>), read by the begin's statement and raised in the same transaction as the event's complete.
/// </summary>
/// <remarks>
/// <para>
/// One row per event key, with a unique key and a lease; no coordination of its own. Begin is one
/// <c>INSERT … ON CONFLICT (key) DO UPDATE … WHERE</c> the row is not completed and its lease has lapsed: PostgreSQL
/// locks the conflicting row and re-checks the condition, so of any number of instances exactly one begins. Complete and
/// abandon are one statement on the primary key each and succeed only for the lease's holder. Concurrent completes are
/// committed together (group commit): those that arrive while a batch is being committed go into the next one, one
/// transaction for all, and each caller is answered after that commit with its own result. Times come from the
/// <see cref="TimeProvider"/> given, never from the server's clock, so all instances should keep their clocks in sync
/// (NTP) and leases should be much longer than any clock skew.
/// </para>
/// <para>
/// When the server cannot be reached, or a statement fails, every method throws (an <see cref="NpgsqlException"/> or
/// another <see cref="DbException"/>), never reporting an event as begun or processed; the webhook endpoint answers 503 and
/// the gateway retries. The first failure is logged once as an error naming the server (never the password), and the
/// recovery once as information.
/// </para>
/// <para>
/// Registered with dependency injection (<c>AddKobbopayPostgreSqlEventStore</c>) and without a
/// <see cref="PostgreSqlWebhookEventStoreOptions.ConnectionString"/>, the store uses the application's
/// <see cref="NpgsqlDataSource"/> (registered with <c>AddNpgsqlDataSource</c>, say), sharing its pool and logging.
/// </para>
/// </remarks>
public sealed class PostgreSqlWebhookEventStore : IWebhookSequenceStore, IWebhookStoreProbe, IAsyncDisposable, IDisposable
{
    /// <summary>The schema version this package creates and expects.</summary>
    /// <remarks>Version 2 added the table of the highest sequence handled per payment; a version 1 schema is upgraded in place.</remarks>
    public const int SchemaVersion = 2;

    private static readonly TimeSpan MaxLease = TimeSpan.FromDays(365);

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly PostgreSqlStatements _sql;
    private readonly PostgreSqlEventTable _table;
    private readonly PostgreSqlSequenceTable _sequences;
    private readonly PostgreSqlMigrations _migrations;
    private readonly PostgreSqlBatcher<PostgreSqlBeginCall, WebhookBeginResult> _begins;
    private readonly PostgreSqlBatcher<PostgreSqlCompletion, bool> _completes;
    private readonly EventStoreAvailability _availability;
    private readonly EventStorePurgeSchedule _purge;
    private volatile bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="PostgreSqlWebhookEventStore"/> class with a data source of its own, built from <see cref="PostgreSqlWebhookEventStoreOptions.ConnectionString"/>. Nothing is opened until first use.</summary>
    /// <param name="options">The settings; they are copied.</param>
    /// <param name="timeProvider">The clock for leases and retention; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">Where to log; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid; the message names each setting.</exception>
    public PostgreSqlWebhookEventStore(PostgreSqlWebhookEventStoreOptions options, TimeProvider? timeProvider = null, ILogger<PostgreSqlWebhookEventStore>? logger = null)
        : this(CreateDataSource(Valid(options, dataSourceGiven: false)), ownsDataSource: true, options, timeProvider, logger)
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
        : this(dataSource, ownsDataSource: false, Valid(options, dataSourceGiven: true), timeProvider, logger)
    {
    }

    private PostgreSqlWebhookEventStore(NpgsqlDataSource dataSource, bool ownsDataSource, PostgreSqlWebhookEventStoreOptions options, TimeProvider? timeProvider, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        string server = PostgreSqlWebhookEventStoreOptions.DescribeServer(dataSource.ConnectionString);
        TimeProvider clock = timeProvider ?? TimeProvider.System;
        ILogger log = logger ?? NullLogger.Instance;
        _sql = new PostgreSqlStatements(options.Schema, options.TableName);
        _table = new PostgreSqlEventTable(dataSource, _sql, clock);
        _begins = new PostgreSqlBatcher<PostgreSqlBeginCall, WebhookBeginResult>(_table.BeginAsync);
        _completes = new PostgreSqlBatcher<PostgreSqlCompletion, bool>(_table.CompleteAsync);
        _sequences = new PostgreSqlSequenceTable(dataSource, _sql, _table);
        _migrations = new PostgreSqlMigrations(dataSource, _sql, _table, options.AutoMigrate, server, log);
        _availability = new EventStoreAvailability(server, Describe, log);
        _purge = new EventStorePurgeSchedule(PurgeAsync, options.Retention, options.PurgeInterval, clock, server, log);
    }

    /// <summary>Gets the schema-qualified name of the events table.</summary>
    public string TableName => _sql.Schema + "." + _sql.TableName;

    /// <inheritdoc/>
    /// <exception cref="NpgsqlException">The server cannot be reached or the statement failed; nothing was begun.</exception>
    public ValueTask<WebhookBeginResult> TryBeginAsync(string key, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lease, MaxLease);
        return RunAsync("begin", (begins: _begins, key, lease), static (_, s, ct) => s.begins.RunAsync(new PostgreSqlBeginCall(s.key, s.lease, null), ct), cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>One statement: the payment's highest handled sequence is read by the begin itself, with its snapshot.</remarks>
    /// <exception cref="NpgsqlException">The server cannot be reached or the statement failed; nothing was begun.</exception>
    public ValueTask<WebhookBeginResult> TryBeginAsync(string key, TimeSpan lease, string paymentKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentException.ThrowIfNullOrEmpty(paymentKey);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lease, MaxLease);
        return RunAsync("begin", (begins: _begins, key, lease, paymentKey), static (_, s, ct) => s.begins.RunAsync(new PostgreSqlBeginCall(s.key, s.lease, s.paymentKey), ct), cancellationToken);
    }

    /// <inheritdoc/>
    /// <exception cref="NpgsqlException">The server cannot be reached or the statement failed; the event is not recorded as processed.</exception>
    public ValueTask<bool> CompleteAsync(string key, Guid leaseId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return RunAsync("complete", (completes: _completes, key, leaseId), static (_, s, ct) => s.completes.RunAsync(new PostgreSqlCompletion(s.key, s.leaseId), ct), cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>One transaction: the complete and the raise of the sequence commit together, or neither does; grouped with the other completes in flight, as a plain complete is.</remarks>
    /// <exception cref="NpgsqlException">The server cannot be reached or the statement failed; neither is recorded.</exception>
    public ValueTask<bool> CompleteAsync(string key, Guid leaseId, string paymentKey, long sequence, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentException.ThrowIfNullOrEmpty(paymentKey);
        return RunAsync("complete", (completes: _completes, key, leaseId, paymentKey, sequence), static (_, s, ct) => s.completes.RunAsync(new PostgreSqlCompletion(s.key, s.leaseId, s.paymentKey, s.sequence), ct), cancellationToken);
    }

    /// <inheritdoc/>
    /// <exception cref="NpgsqlException">The server cannot be reached or the statement failed.</exception>
    public ValueTask<long?> GetHandledSequenceAsync(string paymentKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(paymentKey);
        return RunAsync("sequence read", (_sequences, paymentKey), static (_, s, ct) => s._sequences.ReadAsync(s.paymentKey, ct), cancellationToken);
    }

    /// <inheritdoc/>
    /// <exception cref="NpgsqlException">The server cannot be reached or the statement failed; the sequence is not recorded.</exception>
    public async ValueTask RecordHandledSequenceAsync(string paymentKey, long sequence, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(paymentKey);
        await RunAsync("sequence", (_sequences, paymentKey, sequence), static (_, s, ct) => s._sequences.RaiseAsync(s.paymentKey, s.sequence, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <exception cref="NpgsqlException">The server cannot be reached or the statement failed; the lease lapses by itself.</exception>
    public ValueTask<bool> AbandonAsync(string key, Guid leaseId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return RunAsync("abandon", (key, leaseId), static (table, state, ct) => table.AbandonAsync(state.key, state.leaseId, ct), cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>Removes records in batches of short transactions; instances purging at once share the work.</remarks>
    /// <exception cref="NpgsqlException">The server cannot be reached or the statement failed.</exception>
    public ValueTask<int> PurgeAsync(DateTimeOffset completedBefore, CancellationToken cancellationToken = default) =>
        RunAsync("purge", completedBefore, static (table, cutoff, ct) => table.PurgeAsync(cutoff, ct), cancellationToken);

    /// <inheritdoc/>
    public string Database => _availability.Database;

    /// <inheritdoc/>
    /// <remarks>Reads at most one row of the events table (after creating or checking the schema, as every operation does); a failure is logged as an outage like any other.</remarks>
    /// <exception cref="NpgsqlException">The server cannot be reached or the statement failed.</exception>
    public async ValueTask ProbeAsync(CancellationToken cancellationToken = default) =>
        await RunAsync("probe", 0, static (table, _, ct) => table.ProbeAsync(ct), cancellationToken).ConfigureAwait(false);

    /// <summary>Removes records of events completed longer ago than <see cref="PostgreSqlWebhookEventStoreOptions.Retention"/>.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many records were removed.</returns>
    /// <exception cref="NpgsqlException">The server cannot be reached or the statement failed.</exception>
    public ValueTask<int> PurgeExpiredAsync(CancellationToken cancellationToken = default) => _purge.PurgeExpiredAsync(cancellationToken);

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
            await _migrations.MigrateAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsFailure(ex, cancellationToken))
        {
            _availability.Unavailable("migrate", ex);
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
        _purge.Dispose();
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
        await _purge.DisposeAsync().ConfigureAwait(false);
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    internal PostgreSqlStatements Statements => _sql;

    internal NpgsqlDataSource DataSource => _dataSource;

    /// <summary>Gets the batches of begins, for tests.</summary>
    internal PostgreSqlBatcher<PostgreSqlBeginCall, WebhookBeginResult> Begins => _begins;

    /// <summary>Gets the group commit of completes, for tests.</summary>
    internal PostgreSqlBatcher<PostgreSqlCompletion, bool> Completes => _completes;

    /// <summary>Gets the purge the store's timer started last, for tests.</summary>
    internal Task BackgroundPurge => _purge.Background;

    private static PostgreSqlWebhookEventStoreOptions Valid(PostgreSqlWebhookEventStoreOptions options, bool dataSourceGiven) =>
        EventStoreOptionsCheck.Valid(options, new PostgreSqlWebhookEventStoreOptionsValidator(), new PostgreSqlWebhookEventStoreOptionsCrossFieldValidator(dataSourceGiven));

    internal static NpgsqlDataSource CreateDataSource(PostgreSqlWebhookEventStoreOptions options)
    {
        NpgsqlSlimDataSourceBuilder builder = new(options.ConnectionString);
        if (string.IsNullOrEmpty(builder.ConnectionStringBuilder.ApplicationName))
        {
            builder.ConnectionStringBuilder.ApplicationName = "Kobbopay.EventStore.PostgreSql";
        }

        // The pool is the store's alone and runs a handful of statements: prepare them on every connection from their
        // second use (parsed and planned once, not per call), and skip the reset each return to the pool queues for the
        // next statement (the store leaves no session state: its settings are transaction-local). A connection string
        // that sets either keeps its own value.
        NpgsqlConnectionStringBuilder settings = builder.ConnectionStringBuilder;
        HashSet<string> given = new(
            new DbConnectionStringBuilder { ConnectionString = options.ConnectionString }.Keys.Cast<string>().Select(k => k.Replace(" ", string.Empty, StringComparison.Ordinal)),
            StringComparer.OrdinalIgnoreCase);
        if (!given.Contains("MaxAutoPrepare"))
        {
            settings.MaxAutoPrepare = 16;
            settings.AutoPrepareMinUsages = 2;
        }

        if (!given.Contains("NoResetOnClose"))
        {
            settings.NoResetOnClose = true;
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

    /// <summary>Runs one operation after making sure of the schema, and tracks availability: a failure is logged, then rethrown.</summary>
    private async ValueTask<TResult> RunAsync<TState, TResult>(
        string operation,
        TState state,
        Func<PostgreSqlEventTable, TState, CancellationToken, ValueTask<TResult>> work,
        CancellationToken cancellationToken)
    {
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            await _migrations.EnsureAsync(cancellationToken).ConfigureAwait(false);
            TResult result = await work(_table, state, cancellationToken).ConfigureAwait(false);
            _availability.Available();
            return result;
        }
        catch (Exception ex) when (IsFailure(ex, cancellationToken))
        {
            _availability.Unavailable(operation, ex);
            throw;
        }
    }
}
