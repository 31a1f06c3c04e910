namespace Kobbopay.EventStore.Sqlite.Internal;

/// <summary>A <see cref="SqliteWrite"/> with its arguments and result.</summary>
/// <typeparam name="TState">The arguments.</typeparam>
/// <typeparam name="TResult">The result given to the caller after the commit.</typeparam>
internal sealed class SqliteWrite<TState, TResult>(string operation, bool needsTransaction, TState state, Func<SqliteEventTable, TState, TResult> work) : SqliteWrite
{
    private readonly TaskCompletionSource<TResult> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TResult _result = default!;

    public override string Operation => operation;

    public override bool NeedsTransaction => needsTransaction;

    /// <summary>Gets the caller's answer: the result after the commit, or the batch's failure.</summary>
    public Task<TResult> Answer => _answer.Task;

    public override void Run(SqliteEventTable table) => _result = work(table, state);

    public override void Succeed() => _answer.TrySetResult(_result);

    public override void Fail(Exception exception) => _answer.TrySetException(exception);
}
