using System.Globalization;

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
    // Polly's own limits (its options' [Range] attributes): checked here so a bad value fails with our message.
    private static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxDuration = TimeSpan.FromDays(1);
    private static readonly TimeSpan MinBreakerDuration = TimeSpan.FromMilliseconds(500);

    /// <summary>Gets the largest <see cref="MaxRetryAttempts"/> accepted.</summary>
    internal const int MaxRetryAttemptsLimit = 20;

    /// <summary>Gets or sets the time allowed for a whole call, every attempt and every delay between attempts included.</summary>
    /// <value>Defaults to 30 seconds. Between 10 ms and 1 day.</value>
    public TimeSpan TotalRequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the time allowed for one attempt; an attempt that takes longer is cancelled and retried.</summary>
    /// <value>Defaults to 10 seconds. At least 10 ms and no longer than <see cref="TotalRequestTimeout"/>.</value>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets how many times a failed attempt is retried; <c>0</c> turns retries off.</summary>
    /// <value>Defaults to 3 (so at most 4 attempts). Between 0 and 20.</value>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Gets or sets the median delay before the first retry; later retries back off exponentially from it.</summary>
    /// <value>Defaults to 500 milliseconds. Zero or more and no longer than <see cref="MaxRetryDelay"/>.</value>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Gets or sets the longest computed delay between two attempts. A server's <c>Retry-After</c> is capped by <see cref="MaxRetryAfter"/> instead.</summary>
    /// <value>Defaults to 10 seconds. Between zero and 1 day.</value>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets a value indicating whether the computed delays are randomized, so that many clients do not retry in step.</summary>
    /// <value>Defaults to <see langword="true"/>.</value>
    public bool UseJitter { get; set; } = true;

    /// <summary>
    /// Gets or sets the longest <c>Retry-After</c> the client waits out by itself. A response asking for a longer wait is
    /// not retried: it is returned, and the client throws <see cref="KobbopayRateLimitException"/> carrying the delay.
    /// </summary>
    /// <value>Defaults to 30 seconds. Between zero and 1 day.</value>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets a value indicating whether a circuit breaker stops sending calls for a while after too many failures.</summary>
    /// <value>Defaults to <see langword="true"/>.</value>
    public bool EnableCircuitBreaker { get; set; } = true;

    /// <summary>Gets or sets the share of failed attempts, within <see cref="CircuitBreakerSamplingDuration"/>, at which the circuit opens.</summary>
    /// <value>Defaults to 0.1 (10 %). Greater than 0 and at most 1.</value>
    public double CircuitBreakerFailureRatio { get; set; } = 0.1;

    /// <summary>Gets or sets how many attempts must be seen within <see cref="CircuitBreakerSamplingDuration"/> before the failure ratio counts.</summary>
    /// <value>Defaults to 100. At least 2.</value>
    public int CircuitBreakerMinimumThroughput { get; set; } = 100;

    /// <summary>Gets or sets the window over which the circuit breaker measures the failure ratio.</summary>
    /// <value>Defaults to 30 seconds. Between 0.5 seconds and 1 day.</value>
    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how long an open circuit rejects calls before letting one through to test the service.</summary>
    /// <value>Defaults to 5 seconds. Between 0.5 seconds and 1 day.</value>
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Checks every setting and describes each bad one.</summary>
    /// <param name="prefix">The configuration path of these options (for example <c>Kobbopay:Resilience</c>); each message names its setting as <c>prefix:Name</c>.</param>
    /// <returns>One message per bad setting; none when the options are valid.</returns>
    internal IEnumerable<string> Validate(string prefix)
    {
        if (TotalRequestTimeout < MinTimeout || TotalRequestTimeout > MaxDuration)
        {
            yield return Message(prefix, nameof(TotalRequestTimeout), $"must be at least 10 ms and at most 1 day; it is {TotalRequestTimeout:c}.");
        }

        if (AttemptTimeout < MinTimeout || AttemptTimeout > MaxDuration || AttemptTimeout > TotalRequestTimeout)
        {
            yield return Message(prefix, nameof(AttemptTimeout), $"must be positive (at least 10 ms) and no longer than {nameof(TotalRequestTimeout)} ({Seconds(TotalRequestTimeout)}); it is {AttemptTimeout:c}.");
        }

        if (MaxRetryAttempts is < 0 or > MaxRetryAttemptsLimit)
        {
            yield return Message(prefix, nameof(MaxRetryAttempts), $"must be between 0 and {MaxRetryAttemptsLimit}; it is {MaxRetryAttempts}.");
        }

        if (MaxRetryDelay < TimeSpan.Zero || MaxRetryDelay > MaxDuration)
        {
            yield return Message(prefix, nameof(MaxRetryDelay), $"must be between zero and 1 day; it is {MaxRetryDelay:c}.");
        }

        if (RetryBaseDelay < TimeSpan.Zero || RetryBaseDelay > MaxRetryDelay)
        {
            yield return Message(prefix, nameof(RetryBaseDelay), $"must be zero or more and no longer than {nameof(MaxRetryDelay)} ({Seconds(MaxRetryDelay)}); it is {RetryBaseDelay:c}.");
        }

        if (MaxRetryAfter < TimeSpan.Zero || MaxRetryAfter > MaxDuration)
        {
            yield return Message(prefix, nameof(MaxRetryAfter), $"must be between zero and 1 day; it is {MaxRetryAfter:c}.");
        }

        // NaN fails both comparisons, so it is reported too.
        if (!(CircuitBreakerFailureRatio > 0 && CircuitBreakerFailureRatio <= 1))
        {
            yield return Message(prefix, nameof(CircuitBreakerFailureRatio), $"must be greater than 0 and at most 1; it is {CircuitBreakerFailureRatio}.");
        }

        if (CircuitBreakerMinimumThroughput < 2)
        {
            yield return Message(prefix, nameof(CircuitBreakerMinimumThroughput), $"must be at least 2; it is {CircuitBreakerMinimumThroughput}.");
        }

        if (CircuitBreakerSamplingDuration < MinBreakerDuration || CircuitBreakerSamplingDuration > MaxDuration)
        {
            yield return Message(prefix, nameof(CircuitBreakerSamplingDuration), $"must be between 0.5 s and 1 day; it is {CircuitBreakerSamplingDuration:c}.");
        }

        if (CircuitBreakerBreakDuration < MinBreakerDuration || CircuitBreakerBreakDuration > MaxDuration)
        {
            yield return Message(prefix, nameof(CircuitBreakerBreakDuration), $"must be between 0.5 s and 1 day; it is {CircuitBreakerBreakDuration:c}.");
        }
    }

    private static string Message(string prefix, string name, FormattableString rest) =>
        (string.IsNullOrEmpty(prefix) ? name : prefix + ":" + name) + " " + rest.ToString(CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan value) =>
        value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
}
