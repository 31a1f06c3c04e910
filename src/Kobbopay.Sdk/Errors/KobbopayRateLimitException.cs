namespace Kobbopay.Sdk;

/// <summary>
/// The gateway answered 429 <c>rate_limited</c> and asked to wait longer than the client may wait
/// by itself (<see cref="Resilience.KobbopayResilienceOptions.MaxRetryAfter"/>), or retries ran out.
/// </summary>
public sealed class KobbopayRateLimitException : KobbopayApiException
{
    /// <summary>Initializes a new instance of the <see cref="KobbopayRateLimitException"/> class.</summary>
    public KobbopayRateLimitException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="KobbopayRateLimitException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    public KobbopayRateLimitException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="KobbopayRateLimitException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public KobbopayRateLimitException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="KobbopayRateLimitException"/> class.</summary>
    /// <param name="errorCode">The contract's error code.</param>
    /// <param name="gatewayMessage">The gateway's message.</param>
    /// <param name="requestId">The gateway's request id.</param>
    /// <param name="retryAfter">How long the gateway asked to wait, if it said.</param>
    public KobbopayRateLimitException(string errorCode, string gatewayMessage, string? requestId, TimeSpan? retryAfter)
        : base(429, errorCode, gatewayMessage, null, requestId)
    {
        RetryAfter = retryAfter;
    }

    /// <summary>Gets how long the gateway asked to wait before the next request, or <see langword="null"/> when it did not say.</summary>
    public TimeSpan? RetryAfter { get; }
}
