using Microsoft.Extensions.Time.Testing;

namespace Kobbopay.TestUtilities;

/// <summary>What tests do with <see cref="FakeTimeProvider"/> beyond its own members.</summary>
public static class FakeTimeProviderExtensions
{
    /// <summary>
    /// Advances <paramref name="time"/> by <paramref name="step"/> at a time until <paramref name="task"/> completes, then
    /// returns its result. For work whose continuations run on the thread that advances the clock (a stub transport that
    /// answers at once): no real time passes. A timer fires at the end of the step that reaches its due time, so a due
    /// time that is a whole number of steps is seen exactly.
    /// </summary>
    /// <typeparam name="T">The task's result type.</typeparam>
    /// <param name="time">The clock to advance.</param>
    /// <param name="task">The work to drive.</param>
    /// <param name="step">How far to move the clock at a time.</param>
    /// <param name="limit">How far the clock may move in all before the task must have completed.</param>
    /// <returns>The task's result (or its exception).</returns>
    /// <exception cref="TimeoutException">The task had not completed when the clock had moved by <paramref name="limit"/>.</exception>
    public static async Task<T> AdvanceUntilCompletedAsync<T>(this FakeTimeProvider time, Task<T> task, TimeSpan step, TimeSpan limit)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(task);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(step, TimeSpan.Zero);

        for (TimeSpan moved = TimeSpan.Zero; !task.IsCompleted && moved < limit; moved += step)
        {
            time.Advance(step);
        }

        if (!task.IsCompleted)
        {
            throw new TimeoutException($"The task had not completed after the clock moved {limit} (now {time.GetUtcNow():O}).");
        }

        return await task.ConfigureAwait(false);
    }
}
