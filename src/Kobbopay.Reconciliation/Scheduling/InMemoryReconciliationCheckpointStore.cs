namespace Kobbopay.Reconciliation;

/// <summary>
/// The default checkpoint store: in the process's memory, so one instance, and a restart starts over (the first run
/// reads the event export from its period's start). For several instances or a checkpoint that survives restarts, use
/// <see cref="PostgreSqlReconciliationCheckpointStore"/>.
/// </summary>
public sealed class InMemoryReconciliationCheckpointStore : IReconciliationCheckpointStore
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ReconciliationCheckpoint? _checkpoint;

    /// <inheritdoc/>
    public ValueTask<IReconciliationLease?> TryAcquireAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReconciliationLease?>(_gate.Wait(0, cancellationToken) ? new Lease(this) : null);

    /// <inheritdoc/>
    public ValueTask<ReconciliationCheckpoint?> ReadAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Volatile.Read(ref _checkpoint));

    private sealed class Lease(InMemoryReconciliationCheckpointStore store) : IReconciliationLease
    {
        private int _disposed;

        public ReconciliationCheckpoint? Checkpoint { get; } = Volatile.Read(ref store._checkpoint);

        public ValueTask SaveAsync(ReconciliationCheckpoint checkpoint, CancellationToken cancellationToken)
        {
            Guard.NotNull(checkpoint);
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            Volatile.Write(ref store._checkpoint, checkpoint);
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                store._gate.Release();
            }

            return ValueTask.CompletedTask;
        }
    }
}
