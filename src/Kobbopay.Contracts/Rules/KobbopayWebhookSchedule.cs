namespace Kobbopay.Contracts;

/// <summary>
/// The gateway's webhook delivery rules: an attempt not answered 2xx within <see cref="AttemptTimeout"/> is retried
/// after each delay of <see cref="DefaultRetryDelays"/> in turn (5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 3 h, 6 h), then
/// the delivery is marked failed. <see cref="DefaultHorizon"/> is how long after the first attempt a retry can still
/// arrive: a dedupe record kept at least that long sees every retry of an event.
/// </summary>
public static class KobbopayWebhookSchedule
{
    /// <summary>Gets how long the gateway waits for an answer before it counts an attempt as failed: 10 seconds.</summary>
    public static TimeSpan AttemptTimeout { get; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets the delays before each retry, in order (8 retries, so at most 9 attempts).</summary>
    public static IReadOnlyList<TimeSpan> DefaultRetryDelays { get; } = Array.AsReadOnly(
    [
        TimeSpan.FromSeconds(5),
        TimeSpan.FromSeconds(30),
        TimeSpan.FromMinutes(2),
        TimeSpan.FromMinutes(10),
        TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(1),
        TimeSpan.FromHours(3),
        TimeSpan.FromHours(6),
    ]);

    /// <summary>Gets the time from the first attempt to the start of the last retry under the default schedule: 10 h 42 min 35 s.</summary>
    public static TimeSpan DefaultHorizon { get; } = HorizonOf(DefaultRetryDelays);

    /// <summary>Adds up a schedule's delays: the time from the first attempt to the start of the last retry.</summary>
    /// <param name="retryDelays">The delays.</param>
    /// <returns>Their sum.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="retryDelays"/> is <see langword="null"/>.</exception>
    public static TimeSpan HorizonOf(IEnumerable<TimeSpan> retryDelays)
    {
        ArgumentNullException.ThrowIfNull(retryDelays);
        TimeSpan total = TimeSpan.Zero;
        foreach (TimeSpan delay in retryDelays)
        {
            total += delay;
        }

        return total;
    }
}
