using System.Data.Common;
using Kobbopay.Reconciliation.Internal;

namespace Kobbopay.Reconciliation;

/// <summary>
/// Keeps the checkpoint in SQLite (the file the webhook event store uses will do), in the table
/// <c>kobbopay_reconciliation_checkpoints</c>, created when missing; and lets one process run at a time with a lease
/// written in the checkpoint's own row, so no write lock is held through a run (the webhook store keeps writing to the
/// file). A lease that is not saved or given up within its duration (the process died) may be taken over. It talks
/// through ADO.NET's <see cref="DbDataSource"/>, so this package does not depend on a SQLite driver: pass
/// <c>SqliteFactory.Instance.CreateDataSource(connectionString)</c> (Microsoft.Data.Sqlite).
/// </summary>
/// <param name="dataSource">The SQLite data source.</param>
/// <param name="jobName">Names this schedule when one file holds several (one row and one lease each).</param>
/// <param name="leaseDuration">How long a lease holds without being saved or given up; longer than a run takes. Defaults to 1 hour.</param>
/// <param name="timeProvider">The clock leases are dated by; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
public sealed class SqliteReconciliationCheckpointStore(
    DbDataSource dataSource,
    string jobName = PostgreSqlReconciliationCheckpointStore.DefaultJobName,
    TimeSpan? leaseDuration = null,
    TimeProvider? timeProvider = null) : IReconciliationCheckpointStore
{
    private const string Table = "kobbopay_reconciliation_checkpoints";

    private const string CreateTable = "CREATE TABLE IF NOT EXISTS " + Table
        + " (job TEXT PRIMARY KEY, event_checkpoint TEXT, reconciled_through INTEGER, started_at INTEGER, completed_at INTEGER, lease_owner TEXT, lease_until INTEGER)";

    // Taken when the row has no lease or an expired one: one statement, so two processes cannot both take it.
    private const string TakeLease = "INSERT INTO " + Table + " (job, lease_owner, lease_until) VALUES (@job, @owner, @until)"
        + " ON CONFLICT (job) DO UPDATE SET lease_owner = excluded.lease_owner, lease_until = excluded.lease_until"
        + " WHERE " + Table + ".lease_until IS NULL OR " + Table + ".lease_until <= @now";

    private const string Select = "SELECT event_checkpoint, reconciled_through, started_at, completed_at FROM " + Table
        + " WHERE job = @job AND reconciled_through IS NOT NULL";

    private const string Save = "UPDATE " + Table + " SET event_checkpoint = @checkpoint, reconciled_through = @through, started_at = @started,"
        + " completed_at = @completed, lease_owner = NULL, lease_until = NULL WHERE job = @job AND lease_owner = @owner";

    private const string GiveUp = "UPDATE " + Table + " SET lease_owner = NULL, lease_until = NULL WHERE job = @job AND lease_owner = @owner";

    private readonly DbDataSource _dataSource = Guard.NotNull(dataSource);
    private readonly string _jobName = Guard.NotNullOrEmpty(jobName);
    private readonly TimeSpan _leaseDuration = leaseDuration is { } d && d > TimeSpan.Zero ? d
        : leaseDuration is null ? TimeSpan.FromHours(1)
        : throw new ArgumentOutOfRangeException(nameof(leaseDuration), leaseDuration, "The lease duration must be positive.");

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private volatile bool _tableReady;

    private (string Name, object? Value) Job => ("job", _jobName);

    /// <inheritdoc/>
    public async ValueTask<IReconciliationLease?> TryAcquireAsync(CancellationToken cancellationToken)
    {
        DbConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            string owner = Guid.NewGuid().ToString("N");
            long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            int taken = await Sql.ExecuteAsync(
                connection, null, TakeLease, cancellationToken, Job, ("owner", owner), ("until", now + (long)_leaseDuration.TotalMilliseconds), ("now", now)).ConfigureAwait(false);
            if (taken == 0)
            {
                return null;
            }

            ReconciliationCheckpoint? checkpoint = await Sql.ReadCheckpointAsync(connection, null, Select, ReadTime, cancellationToken, Job).ConfigureAwait(false);
            return new Lease(this, owner, checkpoint);
        }
    }

    /// <inheritdoc/>
    public async ValueTask<ReconciliationCheckpoint?> ReadAsync(CancellationToken cancellationToken)
    {
        DbConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await Sql.ReadCheckpointAsync(connection, null, Select, ReadTime, cancellationToken, Job).ConfigureAwait(false);
        }
    }

    private static DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        DbConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        if (!_tableReady)
        {
            await Sql.ExecuteAsync(connection, null, CreateTable, cancellationToken).ConfigureAwait(false);
            _tableReady = true;
        }

        return connection;
    }

    /// <summary>The lease written in the row under <c>owner</c>: saving the checkpoint clears it in the same statement.</summary>
    private sealed class Lease(SqliteReconciliationCheckpointStore store, string owner, ReconciliationCheckpoint? checkpoint) : IReconciliationLease
    {
        private bool _done;

        public ReconciliationCheckpoint? Checkpoint { get; } = checkpoint;

        public async ValueTask SaveAsync(ReconciliationCheckpoint checkpoint, CancellationToken cancellationToken)
        {
            Guard.NotNull(checkpoint);
            ObjectDisposedException.ThrowIf(_done, this);
            DbConnection connection = await store.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                int saved = await Sql.ExecuteAsync(
                    connection,
                    null,
                    Save,
                    cancellationToken,
                    store.Job,
                    ("owner", owner),
                    ("checkpoint", checkpoint.EventCheckpoint),
                    ("through", checkpoint.ReconciledThrough.ToUnixTimeMilliseconds()),
                    ("started", checkpoint.StartedAt.ToUnixTimeMilliseconds()),
                    ("completed", checkpoint.CompletedAt.ToUnixTimeMilliseconds())).ConfigureAwait(false);
                _done = true;
                if (saved == 0)
                {
                    throw new InvalidOperationException(
                        $"The reconciliation lease of job '{store._jobName}' expired ({store._leaseDuration} after it was taken) and another process took it over: this run's checkpoint is not saved. Give the lease more time than a run takes.");
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_done)
            {
                return;
            }

            _done = true;
            DbConnection connection = await store.OpenAsync(CancellationToken.None).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                await Sql.ExecuteAsync(connection, null, GiveUp, CancellationToken.None, store.Job, ("owner", owner)).ConfigureAwait(false);
            }
        }
    }
}
