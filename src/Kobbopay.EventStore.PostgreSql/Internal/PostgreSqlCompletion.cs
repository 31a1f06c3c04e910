namespace Kobbopay.EventStore.PostgreSql.Internal;

/// <summary>
/// One <c>CompleteAsync</c> waiting for the store's group commit: queued by its caller, taken into a batch by the
/// <see cref="PostgreSqlCompleteBatcher"/>, and answered only once that batch's transaction has committed (or failed).
/// A sequenced complete also raises its payment's highest handled sequence in that transaction.
/// </summary>
internal sealed class PostgreSqlCompletion(string key, Guid leaseId, string? paymentKey = null, long sequence = 0)
{
    private const int Waiting = 0;
    private const int Taken = 1;
    private const int Withdrawn = 2;
    private readonly TaskCompletionSource<bool> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _state;

    public string Key => key;

    public Guid LeaseId => leaseId;

    /// <summary>Gets the payment whose highest handled sequence the complete raises, or <see langword="null"/> for a plain complete.</summary>
    public string? PaymentKey => paymentKey;

    /// <summary>Gets the sequence the payment's highest handled sequence is raised to (with <see cref="PaymentKey"/>).</summary>
    public long Sequence => sequence;

    /// <summary>Gets the caller's answer: whether its lease completed the event, once committed; or the batch's failure.</summary>
    public Task<bool> Answer => _answer.Task;

    /// <summary>Takes the completion into a batch; <see langword="false"/> when its caller withdrew it first.</summary>
    public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Waiting) == Waiting;

    /// <summary>Withdraws the completion (its caller was cancelled); <see langword="false"/> when a batch has already taken it.</summary>
    public bool TryWithdraw() => Interlocked.CompareExchange(ref _state, Withdrawn, Waiting) == Waiting;

    /// <summary>Answers the caller after the batch committed: <see langword="true"/> when its statement completed the row.</summary>
    public void Succeed(bool completed) => _answer.TrySetResult(completed);

    /// <summary>Answers the caller with the batch's failure: nothing of the batch was committed.</summary>
    public void Fail(Exception exception) => _answer.TrySetException(exception);
}
