namespace Kobbopay.AspNetCore.Queue;

/// <summary>When a failing queued event runs next: exponential backoff from the first delay, capped, with jitter; or never (parked) once its attempts are spent.</summary>
internal static class KobbopayWebhookRetrySchedule
{
    /// <summary>Gets the wait after the <paramref name="attempt"/>-th failed run (1 for the first), or <see langword="null"/> when the event is to be parked.</summary>
    /// <param name="attempt">How many runs the event has had, this one included.</param>
    /// <param name="options">The settings.</param>
    /// <param name="jitter">A number in [0, 1): the share of up to half the wait that is taken off.</param>
    public static TimeSpan? Delay(int attempt, KobbopayWebhookQueueOptions options, double jitter)
    {
        if (attempt >= options.MaxAttempts)
        {
            return null;
        }

        double full = Math.Min(options.MaxRetryDelay.Ticks, options.FirstRetryDelay.Ticks * Math.Pow(2, Math.Min(attempt - 1, 62)));
        return TimeSpan.FromTicks((long)(full * (1 - (0.5 * jitter))));
    }
}
