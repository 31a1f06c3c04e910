namespace Kobbopay.TestUtilities;

/// <summary>
/// A manual clock: time stands still until <see cref="Advance"/> moves it, and timers (so <c>Task.Delay</c>,
/// <c>CancellationTokenSource</c> timeouts and Polly's delays on this provider) fire when their due time is reached.
/// </summary>
/// <remarks>
/// Timer callbacks run synchronously on the thread that advances the clock, in due-time order, with the clock set
/// to each timer's due time while its callback runs.
/// </remarks>
public sealed class FakeTimeProvider : TimeProvider
{
    private readonly object _lock = new();
    private readonly List<FakeTimer> _timers = [];
    private DateTimeOffset _now;
    private long _sequence;

    /// <summary>Creates a clock that starts at <paramref name="start"/> (default: 2026-01-01T00:00:00Z).</summary>
    /// <param name="start">The initial time.</param>
    public FakeTimeProvider(DateTimeOffset? start = null)
    {
        _now = start ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Start = _now;
    }

    /// <summary>Gets the time the clock started at.</summary>
    public DateTimeOffset Start { get; }

    /// <summary>Gets how far the clock has been advanced since <see cref="Start"/>.</summary>
    public TimeSpan Elapsed => GetUtcNow() - Start;

    /// <summary>Gets the number of timers that are scheduled to fire.</summary>
    public int PendingTimerCount
    {
        get
        {
            lock (_lock)
            {
                return _timers.Count(t => t.DueAt is not null);
            }
        }
    }

    /// <inheritdoc/>
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <inheritdoc/>
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    /// <inheritdoc/>
    public override long GetTimestamp()
    {
        lock (_lock)
        {
            return _now.UtcTicks;
        }
    }

    /// <inheritdoc/>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        FakeTimer timer = new(this, callback, state);
        lock (_lock)
        {
            _timers.Add(timer);
            timer.Schedule(_now, dueTime, period, ++_sequence);
        }

        return timer;
    }

    /// <summary>Moves the clock forward by <paramref name="delta"/>, firing every timer that falls due on the way.</summary>
    /// <param name="delta">How far to move; not negative.</param>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        DateTimeOffset target;
        lock (_lock)
        {
            target = _now + delta;
        }

        while (true)
        {
            FakeTimer? due;
            lock (_lock)
            {
                due = null;
                foreach (FakeTimer timer in _timers)
                {
                    if (timer.DueAt is { } at && at <= target
                        && (due is null || at < due.DueAt || (at == due.DueAt && timer.Sequence < due.Sequence)))
                    {
                        due = timer;
                    }
                }

                if (due is null)
                {
                    _now = target;
                    return;
                }

                if (due.DueAt > _now)
                {
                    _now = due.DueAt!.Value;
                }

                due.Fired(_now, ++_sequence);
            }

            due.Invoke();
        }
    }

    /// <summary>Moves the clock to the earliest pending timer and fires it (and any other timer due at the same time).</summary>
    /// <returns><see langword="false"/> when no timer is pending (the clock does not move).</returns>
    public bool AdvanceToNextTimer()
    {
        DateTimeOffset next;
        lock (_lock)
        {
            DateTimeOffset? earliest = null;
            foreach (FakeTimer timer in _timers)
            {
                if (timer.DueAt is { } at && (earliest is null || at < earliest))
                {
                    earliest = at;
                }
            }

            if (earliest is null)
            {
                return false;
            }

            next = earliest.Value < _now ? _now : earliest.Value;
        }

        Advance(next - GetUtcNow());
        return true;
    }

    private void Change(FakeTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        lock (_lock)
        {
            timer.Schedule(_now, dueTime, period, ++_sequence);
        }
    }

    private void Remove(FakeTimer timer)
    {
        lock (_lock)
        {
            timer.Schedule(_now, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan, 0);
            _timers.Remove(timer);
        }
    }

    private sealed class FakeTimer(FakeTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        public DateTimeOffset? DueAt { get; private set; }

        public long Sequence { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            owner.Change(this, dueTime, period);
            return true;
        }

        public void Dispose() => owner.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return default;
        }

        // Called under the owner's lock.
        internal void Schedule(DateTimeOffset now, TimeSpan dueTime, TimeSpan period, long sequence)
        {
            _period = period;
            DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : now + (dueTime < TimeSpan.Zero ? TimeSpan.Zero : dueTime);
            Sequence = sequence;
        }

        // Called under the owner's lock: reschedule a periodic timer, or stop a one-shot one.
        internal void Fired(DateTimeOffset now, long sequence)
        {
            DueAt = _period == Timeout.InfiniteTimeSpan || _period <= TimeSpan.Zero ? null : now + _period;
            Sequence = sequence;
        }

        internal void Invoke() => callback(state);
    }
}
