using System.Collections.Concurrent;

namespace Kobbopay.EventStore.PostgreSql.Internal;

/// <summary>
/// Group commit of completes: concurrent <c>CompleteAsync</c> calls are gathered and committed together, one transaction
/// and one WAL flush for the lot, while the batch before them is in flight. At most one batch runs at a time; whoever
/// finds no batch running starts one, and it keeps taking what gathered meanwhile until the queue is empty. Each caller
/// is answered only after the commit of its own batch: a grouped complete is exactly as durable as one committed alone.
/// A failure of the batch fails each of its callers; a caller cancelled before its batch is taken is left out of it,
/// one cancelled later stops waiting while the batch goes on for the others. A sequenced complete (one that also raises
/// its payment's highest handled sequence) is batched like any other: both writes commit with its batch, or neither does.
/// </summary>
internal sealed class PostgreSqlCompleteBatcher(PostgreSqlEventTable table)
{
    /// <summary>The most completes one transaction carries; more wait for the next.</summary>
    public const int MaxBatchSize = 128;

    private readonly ConcurrentQueue<PostgreSqlCompletion> _queue = new();

    // Used only by the one drain running (the _draining flag hands it over, with a full fence each time).
    private readonly List<PostgreSqlCompletion> _batch = new(MaxBatchSize);
    private int _draining;
    private long _batches;

    /// <summary>Gets how many batches (transactions) have run, for tests.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Queues the complete (synchronously, before the first await), runs a batch when none is running, and waits for its own answer.</summary>
    public ValueTask<bool> CompleteAsync(string key, Guid leaseId, CancellationToken cancellationToken) =>
        CompleteAsync(new PostgreSqlCompletion(key, leaseId), cancellationToken);

    /// <summary>Queues a complete that also raises its payment's highest handled sequence, in the same batch transaction.</summary>
    public ValueTask<bool> CompleteAsync(string key, Guid leaseId, string paymentKey, long sequence, CancellationToken cancellationToken) =>
        CompleteAsync(new PostgreSqlCompletion(key, leaseId, paymentKey, sequence), cancellationToken);

    private async ValueTask<bool> CompleteAsync(PostgreSqlCompletion completion, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _queue.Enqueue(completion);
        if (Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
        {
            // Runs on this thread up to its first wait on the server, then on whichever thread the server's answer wakes.
            _ = DrainAsync();
        }

        try
        {
            return await completion.Answer.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Not yet taken: no batch will run it. Taken: its batch goes on for the others, and, as with any statement
            // cancelled in flight, the event may or may not be recorded as processed.
            completion.TryWithdraw();
            throw;
        }
    }

    private async Task DrainAsync()
    {
        List<PostgreSqlCompletion> batch = _batch;
        while (true)
        {
            while (batch.Count < MaxBatchSize && _queue.TryDequeue(out PostgreSqlCompletion? next))
            {
                if (next.TryTake())
                {
                    batch.Add(next);
                }
            }

            if (batch.Count == 0)
            {
                // Let the next caller start a batch; unless one queued between the last look and now, and nobody took over.
                Volatile.Write(ref _draining, 0);
                if (_queue.IsEmpty || Interlocked.CompareExchange(ref _draining, 1, 0) != 0)
                {
                    return;
                }

                continue;
            }

            // One lock order for every batch (by key; the table sends the sequence raises first, by payment): two
            // instances' batches that touch the same rows never deadlock.
            batch.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
            Interlocked.Increment(ref _batches);
            try
            {
                // The batch belongs to all its callers: no one caller's token cancels it.
                bool[] completed = await table.CompleteAsync(batch, CancellationToken.None).ConfigureAwait(false);
                for (int i = 0; i < batch.Count; i++)
                {
                    batch[i].Succeed(completed[i]);
                }
            }
            catch (Exception ex)
            {
                foreach (PostgreSqlCompletion completion in batch)
                {
                    completion.Fail(ex);
                }
            }

            batch.Clear();
        }
    }
}
