using System.Threading.Channels;

namespace Kobbopay.Sdk.Tests.TestSupport;

/// <summary>
/// A <see cref="TimeProvider"/> over a fake clock that tells the test when code under test starts waiting: every
/// timer it creates (a <c>Task.Delay</c>, a timeout) is announced, so a test awaits "the client is now sleeping its
/// poll interval" and then advances the clock, instead of sleeping and polling a condition.
/// </summary>
internal sealed class TimerSignal(TimeProvider clock) : TimeProvider
{
    private readonly Channel<TimeSpan> _created = Channel.CreateUnbounded<TimeSpan>();

    /// <summary>Gets how long, in real time, <see cref="WaitForTimerAsync"/> waits before it fails the test.</summary>
    public static TimeSpan Patience { get; } = TimeSpan.FromSeconds(30);

    public override TimeZoneInfo LocalTimeZone => clock.LocalTimeZone;

    public override long TimestampFrequency => clock.TimestampFrequency;

    public override DateTimeOffset GetUtcNow() => clock.GetUtcNow();

    public override long GetTimestamp() => clock.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ITimer timer = clock.CreateTimer(callback, state, dueTime, period);
        _created.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>
    /// Waits until <paramref name="callUnderTest"/> creates its next timer due after <paramref name="dueTime"/> (timers
    /// with other due times are passed over). Fails at once if the call ends first, and after <see cref="Patience"/> if
    /// it neither ends nor starts such a timer, instead of hanging the test.
    /// </summary>
    public async Task WaitForTimerAsync(TimeSpan dueTime, Task callUnderTest, CancellationToken cancellationToken)
    {
        using CancellationTokenSource patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(Patience);
        Task started = NextTimerAsync(dueTime, patience.Token);
        if (await Task.WhenAny(started, callUnderTest) != started)
        {
            await patience.CancelAsync();
            throw new InvalidOperationException($"The call under test ended ({callUnderTest.Status}) before it started a {dueTime} timer.");
        }

        try
        {
            await started;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The call under test did not start a {dueTime} timer within {Patience} (real time).");
        }
    }

    private async Task NextTimerAsync(TimeSpan dueTime, CancellationToken cancellationToken)
    {
        while (await _created.Reader.ReadAsync(cancellationToken) != dueTime)
        {
        }
    }
}
