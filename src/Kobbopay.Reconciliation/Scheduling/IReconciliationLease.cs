namespace Kobbopay.Reconciliation;

/// <summary>The exclusive right to run scheduled reconciliation, held until disposed, with the checkpoint read under it.</summary>
public interface IReconciliationLease : IAsyncDisposable
{
    /// <summary>Gets the checkpoint as the lease found it, or <see langword="null"/> before the first run completed.</summary>
    ReconciliationCheckpoint? Checkpoint { get; }

    /// <summary>Saves the checkpoint of a completed run durably; the lease ends with it (dispose it still).</summary>
    /// <param name="checkpoint">The new checkpoint.</param>
    /// <param name="cancellationToken">Cancels the save; the previous checkpoint then stands.</param>
    /// <returns>A task that completes when the checkpoint is durable.</returns>
    ValueTask SaveAsync(ReconciliationCheckpoint checkpoint, CancellationToken cancellationToken);
}
