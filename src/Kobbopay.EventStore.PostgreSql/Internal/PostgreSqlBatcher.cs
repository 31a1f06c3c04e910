using System.Collections.Concurrent;

namespace Kobbopay.EventStore.PostgreSql.Internal;

/// <summary>
/// Gathers concurrent calls of one kind (the store's begins, or its completes) into batches, one round trip and one
/// transaction each, while the batch before them is in flight. At most one batch of a kind runs at a time; whoever finds
/// none running starts one, and it keeps taking what gathered meanwhile until the queue is empty. Each caller is answered
/// only after its own batch committed, with its own result: a call in a batch is exactly as durable as one committed alone.
/// A failure of the batch fails each of its callers; a caller cancelled before its batch is taken is left out of it, one
/// cancelled later stops waiting while the batch goes on for the others. Every batch is sorted by event key before it
/// runs: one lock order, so two instances' batches never deadlock.
/// </summary>
/// <typeparam name="TCall">The queued call.</typeparam>
/// <typeparam name="TResult">Each caller's own answer.</typeparam>
/// <param name="run">Runs one batch (sorted by key) and returns each call's answer, in order.</param>
internal sealed class PostgreSqlBatcher<TCall, TResult>(Func<IReadOnlyList<TCall>, CancellationToken, ValueTask<TResult[]>> run)
    where TCall : PostgreSqlPendingCall<TResult>
{
    /// <summary>The most calls one transaction carries; more wait for the next.</summary>
    public const int MaxBatchSize = 128;

    private readonly ConcurrentQueue<TCall> _queue = new();

    // Used only by the one drain running (the _draining flag hands it over, with a full fence each time).
    private readonly List<TCall> _batch = new(MaxBatchSize);
    private int _draining;
    private long _batches;

    /// <summary>Gets how many batches (round trips, transactions) have run, for tests.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Queues the call (synchronously, before the first await), runs a batch when none is running, and waits for its own answer.</summary>
    public async ValueTask<TResult> RunAsync(TCall call, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _queue.Enqueue(call);
        if (Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
        {
            // Runs on this thread up to its first wait on the server, then on whichever thread the server's answer wakes.
            _ = DrainAsync();
        }

        try
        {
            return await call.Answer.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Not yet taken: no batch will run it. Taken: its batch goes on for the others, and, as with any statement
            // cancelled in flight, it may or may not be recorded.
            call.TryWithdraw();
            throw;
        }
    }

    private async Task DrainAsync()
    {
        List<TCall> batch = _batch;
        while (true)
        {
            while (batch.Count < MaxBatchSize && _queue.TryDequeue(out TCall? next))
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

            batch.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
            Interlocked.Increment(ref _batches);
            try
            {
                // The batch belongs to all its callers: no one caller's token cancels it.
                TResult[] results = await run(batch, CancellationToken.None).ConfigureAwait(false);
                for (int i = 0; i < batch.Count; i++)
                {
                    batch[i].Succeed(results[i]);
                }
            }
            catch (Exception ex)
            {
                foreach (TCall call in batch)
                {
                    call.Fail(ex);
                }
            }

            batch.Clear();
        }
    }
}
