using Kobbopay.EventStore.Internal;
using Kobbopay.EventStore.PostgreSql.Internal;
using Kobbopay.Webhooks;
using Npgsql;

namespace Kobbopay.EventStore.PostgreSql;

/// <summary>
/// An <see cref="IWebhookInbox"/> in PostgreSQL, in a table beside the events table (its name plus <c>_inbox</c>):
/// queued processing shared by every application instance on the database.
/// </summary>
/// <remarks>
/// Enqueue is one <c>INSERT … ON CONFLICT DO NOTHING</c>, committed before it returns. Claim is one
/// <c>UPDATE … WHERE key IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING</c>: instances claiming at the same time pass over
/// each other's rows instead of waiting, and each row goes to one of them. Complete and fail succeed only for the claim
/// whose lease they carry. Times come from the <see cref="TimeProvider"/>; keep the instances' clocks in sync (NTP).
/// </remarks>
public sealed class PostgreSqlWebhookInbox : IWebhookInbox, IWebhookStoreProbe, IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgreSqlInboxStatements _sql;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _schema = new(1, 1);
    private readonly bool _ownsDataSource;
    private volatile bool _schemaReady;

    /// <summary>Initializes a new instance of the <see cref="PostgreSqlWebhookInbox"/> class with a data source of its own, built from <see cref="PostgreSqlWebhookEventStoreOptions.ConnectionString"/> and disposed with the inbox. The table is created on first use.</summary>
    /// <param name="options">The event store's settings: the connection string, the schema, and the events table's name plus <c>_inbox</c>.</param>
    /// <param name="timeProvider">The clock for due times and leases; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid; the message names each setting.</exception>
    public PostgreSqlWebhookInbox(PostgreSqlWebhookEventStoreOptions options, TimeProvider? timeProvider = null)
        : this(PostgreSqlWebhookEventStore.CreateDataSource(Valid(options, dataSourceGiven: false)), options, timeProvider) => _ownsDataSource = true;

    /// <summary>Initializes a new instance of the <see cref="PostgreSqlWebhookInbox"/> class on a data source the caller owns (registered with dependency injection, the store's own). The table is created on first use.</summary>
    /// <param name="dataSource">Where the database is; not disposed by the inbox.</param>
    /// <param name="options">The event store's settings: the schema, and the events table's name plus <c>_inbox</c>.</param>
    /// <param name="timeProvider">The clock for due times and leases; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid; the message names each setting.</exception>
    public PostgreSqlWebhookInbox(NpgsqlDataSource dataSource, PostgreSqlWebhookEventStoreOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        Valid(options, dataSourceGiven: true);
        _dataSource = dataSource;
        _sql = new PostgreSqlInboxStatements(options.Schema, options.TableName);
        _clock = timeProvider ?? TimeProvider.System;
        Database = $"{PostgreSqlWebhookEventStoreOptions.DescribeServer(dataSource.ConnectionString)} (inbox table {options.Schema}.{_sql.TableName})";
    }

    /// <summary>Gets the name of the inbox table.</summary>
    public string TableName => _sql.TableName;

    /// <summary>Gets the server, database and inbox table, as the health check names them; never a password.</summary>
    public string Database { get; }

    /// <summary>Reads at most one row of the inbox table (creating it first on first use, as every operation does), for the health check.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the table answered.</returns>
    /// <exception cref="NpgsqlException">The database cannot be reached or the table read.</exception>
    public async ValueTask ProbeAsync(CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        using NpgsqlCommand command = _dataSource.CreateCommand(_sql.Probe);
        await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <exception cref="NpgsqlException">The database cannot be reached; nothing was recorded.</exception>
    public async ValueTask<bool> EnqueueAsync(string key, ReadOnlyMemory<byte> body, string? deliveryId, string? parkReason = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return await CountAsync(_sql.Enqueue, cancellationToken, key, body.ToArray(), deliveryId, parkReason is null ? 0 : 2, _clock.GetUtcNow(), parkReason).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc/>
    /// <exception cref="NpgsqlException">The database cannot be reached.</exception>
    public async ValueTask<IReadOnlyList<WebhookInboxEntry>> ClaimAsync(int maxCount, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        DateTimeOffset now = _clock.GetUtcNow();
        Guid leaseId = Guid.NewGuid();
        return await QueryAsync(_sql.Claim, leaseId, cancellationToken, leaseId, now + lease, now, maxCount).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <exception cref="NpgsqlException">The database cannot be reached; the claim lapses by itself.</exception>
    public async ValueTask<bool> CompleteAsync(string key, Guid leaseId, CancellationToken cancellationToken = default) =>
        await CountAsync(_sql.Complete, cancellationToken, key, leaseId, _clock.GetUtcNow()).ConfigureAwait(false) == 1;

    /// <inheritdoc/>
    /// <exception cref="NpgsqlException">The database cannot be reached; the claim lapses by itself.</exception>
    public async ValueTask<bool> FailAsync(string key, Guid leaseId, DateTimeOffset? retryAt, string error, CancellationToken cancellationToken = default) =>
        await CountAsync(_sql.Fail, cancellationToken, key, leaseId, retryAt, error).ConfigureAwait(false) == 1;

    /// <inheritdoc/>
    /// <exception cref="NpgsqlException">The database cannot be reached.</exception>
    public async ValueTask<IReadOnlyList<WebhookInboxEntry>> ListParkedAsync(int maxCount = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        return await QueryAsync(_sql.ListParked, Guid.Empty, cancellationToken, maxCount).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <exception cref="NpgsqlException">The database cannot be reached.</exception>
    public async ValueTask<bool> RequeueAsync(string key, CancellationToken cancellationToken = default) =>
        await CountAsync(_sql.Requeue, cancellationToken, key, _clock.GetUtcNow()).ConfigureAwait(false) == 1;

    /// <inheritdoc/>
    /// <exception cref="NpgsqlException">The database cannot be reached.</exception>
    public async ValueTask<bool> DiscardAsync(string key, CancellationToken cancellationToken = default) =>
        await CountAsync(_sql.Discard, cancellationToken, key).ConfigureAwait(false) == 1;

    /// <inheritdoc/>
    /// <exception cref="NpgsqlException">The database cannot be reached.</exception>
    public ValueTask<int> PurgeAsync(DateTimeOffset completedBefore, CancellationToken cancellationToken = default) =>
        CountAsync(_sql.Purge, cancellationToken, completedBefore);

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ownsDataSource)
        {
            _dataSource.Dispose();
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _ownsDataSource ? _dataSource.DisposeAsync() : default;

    private static PostgreSqlWebhookEventStoreOptions Valid(PostgreSqlWebhookEventStoreOptions options, bool dataSourceGiven) =>
        EventStoreOptionsCheck.Valid(options, new PostgreSqlWebhookEventStoreOptionsValidator(), new PostgreSqlWebhookEventStoreOptionsCrossFieldValidator(dataSourceGiven));

    private async ValueTask<int> CountAsync(string text, CancellationToken cancellationToken, params object?[] parameters)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        using NpgsqlCommand command = Command(text, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<List<WebhookInboxEntry>> QueryAsync(string text, Guid leaseId, CancellationToken cancellationToken, params object?[] parameters)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        using NpgsqlCommand command = Command(text, parameters);
        using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await InboxEntryReader.ReadAllAsync(reader, leaseId, static (r, i) => r.GetFieldValue<DateTimeOffset>(i), cancellationToken).ConfigureAwait(false);
    }

    private NpgsqlCommand Command(string text, object?[] parameters)
    {
        NpgsqlCommand command = _dataSource.CreateCommand(text);
        foreach (object? value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }

    private async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        if (_schemaReady)
        {
            return;
        }

        await _schema.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_schemaReady)
            {
                NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                    foreach (string text in _sql.Create)
                    {
                        using NpgsqlCommand command = new(text, connection, transaction);
                        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    _schemaReady = true;
                }
            }
        }
        finally
        {
            _schema.Release();
        }
    }
}
