using Microsoft.Extensions.Logging;

namespace Kobbopay.Sdk.Resilience;

/// <summary>
/// The resilience pipeline's log messages (event ids 100 to 199). They carry the method and the URL path,
/// never headers (the API key is one) nor the query string.
/// </summary>
internal static partial class KobbopayResilienceLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "Kobbopay {Method} {Path} answered {StatusCode}: retry {Retry} of {MaxRetries} in {DelayMs:0} ms")]
    public static partial void RetryingAfterStatus(ILogger logger, string method, string path, int statusCode, int retry, int maxRetries, double delayMs);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Kobbopay {Method} {Path} failed with {ExceptionType}: retry {Retry} of {MaxRetries} in {DelayMs:0} ms")]
    public static partial void RetryingAfterException(ILogger logger, string method, string path, string exceptionType, int retry, int maxRetries, double delayMs);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Kobbopay {Method} {Path} answered {StatusCode} with Retry-After {RetryAfter}, longer than the call can wait ({Limit}: MaxRetryAfter, or what is left of TotalRequestTimeout): not retried")]
    public static partial void RetryAfterTooLong(ILogger logger, string method, string path, int statusCode, TimeSpan retryAfter, TimeSpan limit);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Kobbopay circuit breaker opened for {BreakDuration} after repeated failures")]
    public static partial void CircuitOpened(ILogger logger, TimeSpan breakDuration);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "Kobbopay circuit breaker half-open: letting a trial call through")]
    public static partial void CircuitHalfOpened(ILogger logger);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "Kobbopay circuit breaker closed")]
    public static partial void CircuitClosed(ILogger logger);

    [LoggerMessage(EventId = 106, Level = LogLevel.Warning, Message = "Kobbopay {Method} {Path}: attempt timed out after {Timeout}")]
    public static partial void AttemptTimedOut(ILogger logger, string method, string path, TimeSpan timeout);

    [LoggerMessage(EventId = 107, Level = LogLevel.Warning, Message = "Kobbopay {Method} {Path}: total request timeout of {Timeout} reached")]
    public static partial void TotalTimeoutReached(ILogger logger, string method, string path, TimeSpan timeout);
}
