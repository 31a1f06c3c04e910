using System.Data;
using System.Data.Common;
using Kobbopay.Reconciliation.Internal;

namespace Kobbopay.Reconciliation;

/// <summary>
/// Keeps the checkpoint in PostgreSQL (the database the webhook event store uses does), in the table
/// <c>kobbopay_reconciliation_checkpoints</c> of the connection's first schema on <c>search_path</c>, created when
/// missing; and lets one instance run at a time with a transaction-level advisory lock
/// (<c>pg_try_advisory_xact_lock</c>), held from <see cref="TryAcquireAsync"/> until the checkpoint is saved or the
/// lease disposed, and released by the server if the instance dies. It talks through ADO.NET's
/// <see cref="DbDataSource"/>, so pass the app's <c>NpgsqlDataSource</c>: this package does not depend on Npgsql.
/// </summary>
/// <param name="dataSource">The PostgreSQL data source, for example the app's <c>NpgsqlDataSource</c>.</param>
/// <param name="jobName">Names this schedule when one database holds several (one row and one lock each).</param>
public sealed class PostgreSqlReconciliationCheckpointStore(DbDataSource dataSource, string jobName = PostgreSqlReconciliationCheckpointStore.DefaultJobName)
    : IReconciliationCheckpointStore
{
    /// <summary>The job name used when none is given.</summary>
    public const string DefaultJobName = "default";

    private const string Table = "kobbopay_reconciliation_checkpoints";

    private const string TryLock = "SELECT pg_try_advisory_xact_lock(hashtextextended('kobbopay.reconciliation:' || @job, 0))";

    // Instances starting together wait for each other here, so CREATE TABLE IF NOT EXISTS does not race with itself.
    private const string CreateLock = "SELECT pg_advisory_xact_lock(hashtextextended('kobbopay.reconciliation:create-table', 0))";

    private const string CreateTable = "CREATE TABLE IF NOT EXISTS " + Table
        + " (job text PRIMARY KEY, event_checkpoint text, reconciled_through timestamptz NOT NULL, started_at timestamptz NOT NULL, completed_at timestamptz NOT NULL)";

    private const string Select = "SELECT event_checkpoint, reconciled_through, started_at, completed_at FROM " + Table + " WHERE job = @job";

    private const string Upsert = "INSERT INTO " + Table + " (job, event_checkpoint, reconciled_through, started_at, completed_at)"
        + " VALUES (@job, @checkpoint, @through, @started, @completed) ON CONFLICT (job) DO UPDATE SET event_checkpoint = excluded.event_checkpoint,"
        + " reconciled_through = excluded.reconciled_through, started_at = excluded.started_at, completed_at = excluded.completed_at";

    // SQLSTATE undefined_table: the table does not exist before the first lease created it.
    private const string UndefinedTable = "42P01";

    private readonly DbDataSource _dataSource = Guard.NotNull(dataSource);
    private readonly string _jobName = Guard.NotNullOrEmpty(jobName);
    private volatile bool _tableReady;

    /// <inheritdoc/>
    public async ValueTask<IReconciliationLease?> TryAcquireAsync(CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        DbConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        DbTransaction? transaction = null;
        try
        {
            transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
            if (await Sql.ScalarAsync(connection, transaction, TryLock, cancellationToken, Job).ConfigureAwait(false) is not true)
            {
                await DisposeAsync(connection, transaction).ConfigureAwait(false);
                return null;
            }

            ReconciliationCheckpoint? checkpoint = await Sql.ReadCheckpointAsync(connection, transaction, Select, ReadTime, cancellationToken, Job).ConfigureAwait(false);
            return new Lease(this, connection, transaction, checkpoint);
        }
        catch
        {
            await DisposeAsync(connection, transaction).ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc/>
    public async ValueTask<ReconciliationCheckpoint?> ReadAsync(CancellationToken cancellationToken)
    {
        DbConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            try
            {
                return await Sql.ReadCheckpointAsync(connection, null, Select, ReadTime, cancellationToken, Job).ConfigureAwait(false);
            }
            catch (DbException e) when (e.SqlState == UndefinedTable)
            {
                return null;
            }
        }
    }

    private (string Name, object? Value) Job => ("job", _jobName);

    private static DateTimeOffset ReadTime(DbDataReader reader, int ordinal) =>
        new(DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc));

    private static async ValueTask DisposeAsync(DbConnection connection, DbTransaction? transaction)
    {
        if (transaction is not null)
        {
            await transaction.DisposeAsync().ConfigureAwait(false);
        }

        await connection.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Creates the table when missing, in a short transaction of its own: a lease's transaction stays open for a whole run.</summary>
    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        if (_tableReady)
        {
            return;
        }

        DbConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await Sql.ExecuteAsync(connection, transaction, CreateLock, cancellationToken).ConfigureAwait(false);
                await Sql.ExecuteAsync(connection, transaction, CreateTable, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        _tableReady = true;
    }

    /// <summary>The open transaction that holds the advisory lock: commit saves the checkpoint and releases the lock at once.</summary>
    private sealed class Lease(PostgreSqlReconciliationCheckpointStore store, DbConnection connection, DbTransaction transaction, ReconciliationCheckpoint? checkpoint)
        : IReconciliationLease
    {
        private bool _disposed;

        public ReconciliationCheckpoint? Checkpoint { get; } = checkpoint;

        public async ValueTask SaveAsync(ReconciliationCheckpoint checkpoint, CancellationToken cancellationToken)
        {
            Guard.NotNull(checkpoint);
            ObjectDisposedException.ThrowIf(_disposed, this);
            await Sql.ExecuteAsync(
                connection,
                transaction,
                Upsert,
                cancellationToken,
                store.Job,
                ("checkpoint", checkpoint.EventCheckpoint),
                ("through", checkpoint.ReconciledThrough.UtcDateTime),
                ("started", checkpoint.StartedAt.UtcDateTime),
                ("completed", checkpoint.CompletedAt.UtcDateTime)).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        public async ValueTask DisposeAsync()
        {
            if (!_disposed)
            {
                _disposed = true;
                await PostgreSqlReconciliationCheckpointStore.DisposeAsync(connection, transaction).ConfigureAwait(false);
            }
        }
    }
}
