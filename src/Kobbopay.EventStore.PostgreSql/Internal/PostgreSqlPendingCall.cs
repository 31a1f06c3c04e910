namespace Kobbopay.EventStore.PostgreSql.Internal;

/// <summary>
/// One call waiting for a <see cref="PostgreSqlBatcher{TCall, TResult}"/>: queued by its caller, taken into a batch by the
/// batcher's drain, and answered only once that batch's transaction has committed (or failed).
/// </summary>
/// <typeparam name="TResult">The caller's own answer.</typeparam>
internal abstract class PostgreSqlPendingCall<TResult>(string key)
{
    private const int Waiting = 0;
    private const int Taken = 1;
    private const int Withdrawn = 2;
    private readonly TaskCompletionSource<TResult> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _state;

    /// <summary>Gets the event key: batches take their rows in this order.</summary>
    public string Key => key;

    /// <summary>Gets the caller's answer, once its batch committed; or the batch's failure.</summary>
    public Task<TResult> Answer => _answer.Task;

    /// <summary>Takes the call into a batch; <see langword="false"/> when its caller withdrew it first.</summary>
    public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Waiting) == Waiting;

    /// <summary>Withdraws the call (its caller was cancelled); <see langword="false"/> when a batch has already taken it.</summary>
    public bool TryWithdraw() => Interlocked.CompareExchange(ref _state, Withdrawn, Waiting) == Waiting;

    /// <summary>Answers the caller after its batch committed.</summary>
    public void Succeed(TResult result) => _answer.TrySetResult(result);

    /// <summary>Answers the caller with the batch's failure: nothing of the batch was committed.</summary>
    public void Fail(Exception exception) => _answer.TrySetException(exception);
}
