namespace Kobbopay.Simulator;

/// <summary>
/// Seeded fault injection on the simulator's <c>/v1</c> API. For each request the injector draws
/// from a generator seeded with <see cref="Seed"/>, so the same seed and the same sequence of
/// requests give the same sequence of answers. The control API is never faulted.
/// </summary>
public sealed record SimulatorFaultOptions
{
    /// <summary>Gets the seed of the fault generator.</summary>
    /// <value>Defaults to 0.</value>
    public int Seed { get; init; }

    /// <summary>Gets the share of requests answered 500 <c>internal_error</c> before they are processed.</summary>
    public double InternalErrorRate { get; init; }

    /// <summary>Gets the share of requests answered 503 <c>unavailable</c> before they are processed.</summary>
    public double UnavailableRate { get; init; }

    /// <summary>Gets the share of requests answered 429 <c>rate_limited</c> with a <c>Retry-After</c> header.</summary>
    public double RateLimitRate { get; init; }

    /// <summary>Gets the <c>Retry-After</c> value, in seconds, sent with injected 429 answers.</summary>
    /// <value>Defaults to 1.</value>
    public int RetryAfterSeconds { get; init; } = 1;

    /// <summary>Gets the share of requests whose connection is dropped before they are processed.</summary>
    public double DropConnectionRate { get; init; }

    /// <summary>Gets the share of requests that are processed but whose connection is then dropped, so the caller never sees the answer.</summary>
    public double ResponseLossRate { get; init; }

    /// <summary>Gets the share of requests delayed by <see cref="LatencyMilliseconds"/> of real time.</summary>
    public double LatencyRate { get; init; }

    /// <summary>Gets the delay, in milliseconds of real time, added to a request drawn for latency.</summary>
    public int LatencyMilliseconds { get; init; }

    /// <summary>Gets the fault settings that inject nothing.</summary>
    public static SimulatorFaultOptions None { get; } = new();

    internal void Validate()
    {
        CheckRate(InternalErrorRate, nameof(InternalErrorRate));
        CheckRate(UnavailableRate, nameof(UnavailableRate));
        CheckRate(RateLimitRate, nameof(RateLimitRate));
        CheckRate(DropConnectionRate, nameof(DropConnectionRate));
        CheckRate(ResponseLossRate, nameof(ResponseLossRate));
        CheckRate(LatencyRate, nameof(LatencyRate));
        double sum = InternalErrorRate + UnavailableRate + RateLimitRate + DropConnectionRate + ResponseLossRate;
        if (sum > 1.0 + 1e-9)
        {
            throw new ArgumentException($"The fault rates add up to {sum:0.###}; InternalErrorRate, UnavailableRate, RateLimitRate, DropConnectionRate and ResponseLossRate together must not exceed 1.");
        }

        if (RetryAfterSeconds is < 0 or > 86_400)
        {
            throw new ArgumentException($"RetryAfterSeconds must be between 0 and 86400; it is {RetryAfterSeconds}.", nameof(RetryAfterSeconds));
        }

        if (LatencyMilliseconds is < 0 or > 60_000)
        {
            throw new ArgumentException($"LatencyMilliseconds must be between 0 and 60000; it is {LatencyMilliseconds}.", nameof(LatencyMilliseconds));
        }
    }

    private static void CheckRate(double value, string name)
    {
        if (double.IsNaN(value) || value < 0 || value > 1)
        {
            throw new ArgumentException($"{name} must be between 0 and 1; it is {value}.", name);
        }
    }
}
