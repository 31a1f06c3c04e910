namespace Kobbopay.Reconciliation;

/// <summary>
/// Keeps scheduled reconciliation's <see cref="ReconciliationCheckpoint"/> durably and lets one instance of the app run
/// at a time: <see cref="TryAcquireAsync"/> takes an exclusive lease (on PostgreSQL an advisory lock), or answers
/// <see langword="null"/> while another instance holds it.
/// </summary>
public interface IReconciliationCheckpointStore
{
    /// <summary>Takes the exclusive right to run and reads the checkpoint under it, unless another instance holds it.</summary>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    /// <returns>The lease (dispose it to give it up), or <see langword="null"/> when another instance holds it.</returns>
    ValueTask<IReconciliationLease?> TryAcquireAsync(CancellationToken cancellationToken);

    /// <summary>Reads the checkpoint without taking the lease (for the lag metric).</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The checkpoint, or <see langword="null"/> before the first run completed.</returns>
    ValueTask<ReconciliationCheckpoint?> ReadAsync(CancellationToken cancellationToken);
}
