namespace Kobbopay.Simulator;

/// <summary>
/// The simulator's virtual clock: every timestamp the simulator writes and every expiry it runs
/// reads this clock, so a test can compress hours into one call to <see cref="Advance(TimeSpan)"/>.
/// </summary>
/// <remarks>Thread-safe. The clock never moves backwards.</remarks>
public sealed class SimulatorClock : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _wall;
    private readonly DateTimeOffset _manualStart;
    private TimeSpan _offset;

    internal SimulatorClock(SimulatorClockMode mode, DateTimeOffset? start, TimeProvider wall)
    {
        Mode = mode;
        _wall = wall;
        DateTimeOffset now = wall.GetUtcNow();
        _manualStart = start?.ToUniversalTime() ?? new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        if (mode == SimulatorClockMode.Wall && start is { } s)
        {
            _offset = s.ToUniversalTime() - now;
        }
    }

    /// <summary>Occurs after the clock has been advanced, with the new time.</summary>
    internal event Action<DateTimeOffset>? Advanced;

    /// <summary>Gets how the clock moves.</summary>
    public SimulatorClockMode Mode { get; }

    /// <summary>Gets the simulator's current time, in UTC.</summary>
    /// <returns>The current simulated time.</returns>
    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return Mode == SimulatorClockMode.Manual ? _manualStart + _offset : _wall.GetUtcNow() + _offset;
        }
    }

    /// <summary>Gets the latest time the clock moves to: a year short of <see cref="DateTimeOffset.MaxValue"/>, so it can keep following wall time from there.</summary>
    public static DateTimeOffset Latest { get; } = new(9998, 12, 31, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Moves the clock forward and runs whatever falls due (payment expiries).</summary>
    /// <param name="by">How far to move; zero or positive.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="by"/> is negative, or would move the clock past <see cref="Latest"/>.</exception>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        DateTimeOffset now;
        lock (_gate)
        {
            DateTimeOffset current = Mode == SimulatorClockMode.Manual ? _manualStart + _offset : _wall.GetUtcNow() + _offset;
            if (Latest - current < by)
            {
                throw new ArgumentOutOfRangeException(nameof(by), by, $"Advancing by {by} would move the clock past {Latest:O}, the latest time it holds (it is {current:O}).");
            }

            _offset += by;
            now = Mode == SimulatorClockMode.Manual ? _manualStart + _offset : _wall.GetUtcNow() + _offset;
        }

        Advanced?.Invoke(now);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{GetUtcNow():O} ({Mode})";
}
