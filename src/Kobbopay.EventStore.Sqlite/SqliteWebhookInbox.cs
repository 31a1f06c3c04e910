using Kobbopay.EventStore.Internal;
using Kobbopay.EventStore.Sqlite.Internal;
using Kobbopay.Webhooks;
using Microsoft.Data.Sqlite;

namespace Kobbopay.EventStore.Sqlite;

/// <summary>
/// An <see cref="IWebhookInbox"/> in a SQLite database file (WAL), in a table beside the events table (its name plus
/// <c>_inbox</c>): queued processing for one application instance, or several processes on one machine.
/// </summary>
/// <remarks>
/// Enqueue is one insert that does nothing when the key is there; it returns once committed, so an answered delivery
/// survives a crash of the process (and, with <see cref="SqliteWebhookEventStoreOptions.FullSync"/>, of the machine).
/// Claim is one <c>UPDATE … RETURNING</c> under SQLite's single writer: the rows it leases are nobody else's. Complete,
/// fail, requeue and discard are one statement on the primary key each. Times come from the <see cref="TimeProvider"/>.
/// </remarks>
public sealed class SqliteWebhookInbox : IWebhookInbox, IWebhookStoreProbe
{
    private readonly SqliteInboxStatements _sql;
    private readonly TimeProvider _clock;
    private readonly string _connectionString;
    private readonly string _pragmas;
    private readonly SemaphoreSlim _schema = new(1, 1);
    private volatile bool _schemaReady;

    /// <summary>Initializes a new instance of the <see cref="SqliteWebhookInbox"/> class. Nothing is opened until first use; the table is created then.</summary>
    /// <param name="options">The event store's settings: the same file, the events table's name plus <c>_inbox</c>, its busy timeout and sync mode.</param>
    /// <param name="timeProvider">The clock for due times and leases; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid; the message names each setting.</exception>
    public SqliteWebhookInbox(SqliteWebhookEventStoreOptions options, TimeProvider? timeProvider = null)
    {
        EventStoreOptionsCheck.Valid(options, new SqliteWebhookEventStoreOptionsValidator(), new SqliteWebhookEventStoreOptionsCrossFieldValidator());
        _sql = new SqliteInboxStatements(options.TableName);
        _clock = timeProvider ?? TimeProvider.System;
        SqliteConnectionStringBuilder builder = new(options.ConnectionString) { DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds) };
        _connectionString = builder.ConnectionString;
        Database = $"{builder.DataSource} (inbox table {_sql.TableName})";
        _pragmas = $"PRAGMA busy_timeout = {(long)options.BusyTimeout.TotalMilliseconds}; PRAGMA synchronous = {(options.FullSync ? "FULL" : "NORMAL")};";
    }

    /// <summary>Gets the name of the inbox table.</summary>
    public string TableName => _sql.TableName;

    /// <summary>Gets the database file and the inbox table, as the health check names them.</summary>
    public string Database { get; }

    /// <summary>Reads at most one row of the inbox table (creating it first on first use, as every operation does), for the health check.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the table answered.</returns>
    /// <exception cref="SqliteException">The database cannot be opened or the table read.</exception>
    public async ValueTask ProbeAsync(CancellationToken cancellationToken = default)
    {
        using SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand command = Command(connection, _sql.Probe);
        await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <exception cref="SqliteException">The database cannot be opened or written; nothing was recorded.</exception>
    public async ValueTask<bool> EnqueueAsync(string key, ReadOnlyMemory<byte> body, string? deliveryId, string? parkReason = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        using SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand command = Command(connection, _sql.Enqueue, ("$key", key), ("$body", body.ToArray()), ("$delivery_id", deliveryId), ("$state", parkReason is null ? 0 : 2), ("$now", Now()), ("$error", parkReason));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc/>
    /// <exception cref="SqliteException">The database cannot be opened or written.</exception>
    public async ValueTask<IReadOnlyList<WebhookInboxEntry>> ClaimAsync(int maxCount, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        long now = Now();
        Guid leaseId = Guid.NewGuid();
        using SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand command = Command(connection, _sql.Claim, ("$lease_id", leaseId), ("$expires", now + (lease.Ticks / 10)), ("$now", now), ("$max", maxCount));
        return await ReadAsync(command, leaseId, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <exception cref="SqliteException">The database cannot be opened or written; the claim lapses by itself.</exception>
    public ValueTask<bool> CompleteAsync(string key, Guid leaseId, CancellationToken cancellationToken = default) =>
        ExecuteAsync(_sql.Complete, cancellationToken, ("$key", key), ("$lease_id", leaseId), ("$now", Now()));

    /// <inheritdoc/>
    /// <exception cref="SqliteException">The database cannot be opened or written; the claim lapses by itself.</exception>
    public ValueTask<bool> FailAsync(string key, Guid leaseId, DateTimeOffset? retryAt, string error, CancellationToken cancellationToken = default) =>
        ExecuteAsync(_sql.Fail, cancellationToken, ("$key", key), ("$lease_id", leaseId), ("$retry_at", retryAt is { } at ? SqliteEventTable.ToMicroseconds(at) : null), ("$error", error));

    /// <inheritdoc/>
    /// <exception cref="SqliteException">The database cannot be opened.</exception>
    public async ValueTask<IReadOnlyList<WebhookInboxEntry>> ListParkedAsync(int maxCount = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        using SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand command = Command(connection, _sql.ListParked, ("$max", maxCount));
        return await ReadAsync(command, Guid.Empty, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <exception cref="SqliteException">The database cannot be opened or written.</exception>
    public ValueTask<bool> RequeueAsync(string key, CancellationToken cancellationToken = default) =>
        ExecuteAsync(_sql.Requeue, cancellationToken, ("$key", key), ("$now", Now()));

    /// <inheritdoc/>
    /// <exception cref="SqliteException">The database cannot be opened or written.</exception>
    public ValueTask<bool> DiscardAsync(string key, CancellationToken cancellationToken = default) =>
        ExecuteAsync(_sql.Discard, cancellationToken, ("$key", key));

    /// <inheritdoc/>
    /// <exception cref="SqliteException">The database cannot be opened or written.</exception>
    public async ValueTask<int> PurgeAsync(DateTimeOffset completedBefore, CancellationToken cancellationToken = default)
    {
        using SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand command = Command(connection, _sql.Purge, ("$cutoff", SqliteEventTable.ToMicroseconds(completedBefore)));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static SqliteCommand Command(SqliteConnection connection, string text, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        SqliteCommand command = connection.CreateCommand();
        command.CommandText = text;
        foreach ((string name, object? value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private static async Task<List<WebhookInboxEntry>> ReadAsync(SqliteCommand command, Guid leaseId, CancellationToken cancellationToken)
    {
        using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await InboxEntryReader.ReadAllAsync(reader, leaseId, static (r, i) => SqliteEventTable.FromMicroseconds(r.GetInt64(i)), cancellationToken).ConfigureAwait(false);
    }

    private long Now() => SqliteEventTable.ToMicroseconds(_clock.GetUtcNow());

    private async ValueTask<bool> ExecuteAsync(string text, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        using SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand command = Command(connection, text, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Opens a pooled connection with the busy timeout and sync mode set; the first one creates the table (WAL, version recorded).</summary>
    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        SqliteConnection connection = new(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using (SqliteCommand pragmas = Command(connection, _pragmas))
            {
                await pragmas.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            if (!_schemaReady)
            {
                await CreateSchemaAsync(connection, cancellationToken).ConfigureAwait(false);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task CreateSchemaAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await _schema.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_schemaReady)
            {
                return;
            }

            using (SqliteCommand wal = Command(connection, "PRAGMA journal_mode = WAL;"))
            {
                await wal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
            foreach (string text in (string[])[SqliteStatements.CreateSchemaVersionTable, _sql.Create])
            {
                using SqliteCommand create = Command(connection, text);
                create.Transaction = transaction;
                await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            using SqliteCommand version = Command(connection, SqliteStatements.WriteSchemaVersion, ("$table", _sql.TableName), ("$version", SqliteInboxStatements.SchemaVersion), ("$now", Now()));
            version.Transaction = transaction;
            await version.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            transaction.Commit();
            _schemaReady = true;
        }
        finally
        {
            _schema.Release();
        }
    }
}
