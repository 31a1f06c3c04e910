namespace Kobbopay.EventStore.Sqlite.Internal;

/// <summary>
/// One begin, complete or abandon waiting for the store's writer: queued by its caller, taken by whichever caller holds the
/// connection next, run with others in one transaction, and answered only once that transaction has committed.
/// </summary>
internal abstract class SqliteWrite
{
    private const int Waiting = 0;
    private const int Taken = 1;
    private const int Withdrawn = 2;
    private int _state;

    /// <summary>Gets the operation's name for the availability log (begin, complete, abandon).</summary>
    public abstract string Operation { get; }

    /// <summary>Gets whether the write needs a transaction even alone (a begin reads what its upsert saw); a single statement alone commits by itself.</summary>
    public abstract bool NeedsTransaction { get; }

    /// <summary>Gets whether a writer has taken the write (it is then answered, whatever happens).</summary>
    public bool IsTaken => Volatile.Read(ref _state) == Taken;

    /// <summary>Takes the write for a batch; <see langword="false"/> when its caller withdrew it.</summary>
    public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Waiting) == Waiting;

    /// <summary>Withdraws the write (its caller was cancelled); <see langword="false"/> when a writer has already taken it.</summary>
    public bool TryWithdraw() => Interlocked.CompareExchange(ref _state, Withdrawn, Waiting) == Waiting;

    /// <summary>Runs the statement inside the batch's transaction and keeps its result, not yet answered.</summary>
    public abstract void Run(SqliteEventTable table);

    /// <summary>Answers the caller with the kept result, once the batch has committed.</summary>
    public abstract void Succeed();

    /// <summary>Answers the caller with the batch's failure: nothing of it was committed.</summary>
    public abstract void Fail(Exception exception);
}
