using Kobbopay.Shared.Options;

namespace Kobbopay.Sdk.Resilience;

/// <summary>
/// Configures how a Kobbopay client times out, retries and breaks the circuit. The pipeline is, outermost
/// first: total timeout, retry, circuit breaker, attempt timeout.
/// </summary>
/// <remarks>
/// Retried: 408, 409 with error code <c>idempotency_key_in_use</c>, 429, 5xx, network failures
/// (<see cref="HttpRequestException"/>) and attempt timeouts. A <c>POST</c> (or any other method that is not
/// idempotent by HTTP semantics) is retried only when it carries an <c>Idempotency-Key</c> header.
/// </remarks>
public sealed class KobbopayResilienceOptions
{
    // Polly's own limits (its options' [Range] attributes) are checked here too, so a bad value fails with our message.
    private const string OneDay = "1.00:00:00";

    /// <summary>Gets the largest <see cref="MaxRetryAttempts"/> accepted.</summary>
    internal const int MaxRetryAttemptsLimit = 20;

    /// <summary>Gets or sets the time allowed for a whole call, every attempt and every delay between attempts included.</summary>
    /// <value>Defaults to 30 seconds. Between 10 ms and 1 day.</value>
    [SettingRange("00:00:00.010", OneDay, "at least 10 ms and at most 1 day")]
    public TimeSpan TotalRequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the time allowed for one attempt; an attempt that takes longer is cancelled and retried.</summary>
    /// <value>Defaults to 10 seconds. At least 10 ms and no longer than <see cref="TotalRequestTimeout"/>.</value>
    [SettingRange("00:00:00.010", OneDay, "positive (at least 10 ms) and at most 1 day")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets how many times a failed attempt is retried; <c>0</c> turns retries off.</summary>
    /// <value>Defaults to 3 (so at most 4 attempts). Between 0 and 20.</value>
    [SettingRange(0, MaxRetryAttemptsLimit, "between 0 and 20")]
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Gets or sets the median delay before the first retry; later retries back off exponentially from it.</summary>
    /// <value>Defaults to 500 milliseconds. Zero or more and no longer than <see cref="MaxRetryDelay"/>.</value>
    [SettingRange("00:00:00", OneDay, "between zero and 1 day")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Gets or sets the longest computed delay between two attempts. A server's <c>Retry-After</c> is capped by <see cref="MaxRetryAfter"/> instead.</summary>
    /// <value>Defaults to 10 seconds. Between zero and 1 day.</value>
    [SettingRange("00:00:00", OneDay, "between zero and 1 day")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets a value indicating whether the computed delays are randomized, so that many clients do not retry in step.</summary>
    /// <value>Defaults to <see langword="true"/>.</value>
    public bool UseJitter { get; set; } = true;

    /// <summary>
    /// Gets or sets the longest <c>Retry-After</c> the client waits out by itself. A response asking for a longer wait is
    /// not retried: it is returned, and the client throws <see cref="KobbopayRateLimitException"/> carrying the delay.
    /// </summary>
    /// <value>Defaults to 30 seconds. Between zero and 1 day.</value>
    [SettingRange("00:00:00", OneDay, "between zero and 1 day")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets a value indicating whether a circuit breaker stops sending calls for a while after too many failures.</summary>
    /// <value>Defaults to <see langword="true"/>.</value>
    public bool EnableCircuitBreaker { get; set; } = true;

    /// <summary>Gets or sets the share of failed attempts, within <see cref="CircuitBreakerSamplingDuration"/>, at which the circuit opens.</summary>
    /// <value>Defaults to 0.1 (10 %). Greater than 0 and at most 1.</value>
    [SettingRange(0.0, 1.0, "greater than 0 and at most 1", MinimumIsExclusive = true)]
    public double CircuitBreakerFailureRatio { get; set; } = 0.1;

    /// <summary>Gets or sets how many attempts must be seen within <see cref="CircuitBreakerSamplingDuration"/> before the failure ratio counts.</summary>
    /// <value>Defaults to 100. At least 2.</value>
    [SettingRange(2, int.MaxValue, "at least 2")]
    public int CircuitBreakerMinimumThroughput { get; set; } = 100;

    /// <summary>Gets or sets the window over which the circuit breaker measures the failure ratio.</summary>
    /// <value>Defaults to 30 seconds. Between 0.5 seconds and 1 day.</value>
    [SettingRange("00:00:00.500", OneDay, "between 0.5 s and 1 day")]
    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how long an open circuit rejects calls before letting one through to test the service.</summary>
    /// <value>Defaults to 5 seconds. Between 0.5 seconds and 1 day.</value>
    [SettingRange("00:00:00.500", OneDay, "between 0.5 s and 1 day")]
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(5);
}
