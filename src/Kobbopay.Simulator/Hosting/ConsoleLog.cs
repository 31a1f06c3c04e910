using Microsoft.Extensions.Logging;

namespace Kobbopay.Simulator.Internal;

/// <summary>
/// The live console, like <c>stripe listen</c>: one Information line per <c>/v1</c> request and per webhook delivery
/// attempt, in the category <see cref="Category"/>. Event ids 80-85. Never a secret: no API key, admin token, signing
/// secret or signature, and a delivery's address without its user info or query.
/// </summary>
internal static partial class ConsoleLog
{
    /// <summary>The log category of the live console's lines.</summary>
    public const string Category = "Kobbopay.Simulator.Console";

    /// <summary>Logs a <c>/v1</c> request and its answer (<paramref name="fault"/> is the injected fault's name, if one was).</summary>
    public static void Request(ILogger logger, string method, string path, int statusCode, TimeSpan elapsed, string requestId, string? fault)
    {
        long ms = (long)elapsed.TotalMilliseconds;
        if (fault is null)
        {
            LogRequest(logger, method, path, statusCode, ms, requestId);
        }
        else
        {
            LogFaultedRequest(logger, method, path, statusCode, ms, requestId, fault);
        }
    }

    /// <summary>Logs one delivery attempt: its answer, or what went wrong, with the webhook fault applied, if any.</summary>
    public static void Attempt(ILogger logger, string eventType, string eventId, Uri url, SimulatedDeliveryAttempt attempt)
    {
        if (!logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        string to = url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
        long ms = (long)attempt.LatencyMilliseconds;
        switch (attempt)
        {
            case { StatusCode: > 0, Fault: null }:
                LogAnswered(logger, eventType, eventId, to, attempt.StatusCode, ms);
                break;
            case { StatusCode: > 0, Fault: { } fault }:
                LogFaultedAnswered(logger, eventType, eventId, to, attempt.StatusCode, ms, fault);
                break;
            case { Fault: null }:
                LogFailed(logger, eventType, eventId, to, attempt.Error ?? "no answer");
                break;
            default:
                LogFaultedFailed(logger, eventType, eventId, to, attempt.Error ?? "no answer", attempt.Fault);
                break;
        }
    }

    [LoggerMessage(EventId = 80, Level = LogLevel.Information, Message = "{Method} {Path} {StatusCode} {ElapsedMilliseconds} ms {RequestId}")]
    private static partial void LogRequest(ILogger logger, string method, string path, int statusCode, long elapsedMilliseconds, string requestId);

    [LoggerMessage(EventId = 81, Level = LogLevel.Information, Message = "{Method} {Path} {StatusCode} {ElapsedMilliseconds} ms {RequestId} [fault {Fault}]")]
    private static partial void LogFaultedRequest(ILogger logger, string method, string path, int statusCode, long elapsedMilliseconds, string requestId, string fault);

    [LoggerMessage(EventId = 82, Level = LogLevel.Information, Message = "-> {EventType} {EventId} to {Url} {StatusCode} in {ElapsedMilliseconds} ms")]
    private static partial void LogAnswered(ILogger logger, string eventType, string eventId, string url, int statusCode, long elapsedMilliseconds);

    [LoggerMessage(EventId = 83, Level = LogLevel.Information, Message = "-> {EventType} {EventId} to {Url} {StatusCode} in {ElapsedMilliseconds} ms [fault {Fault}]")]
    private static partial void LogFaultedAnswered(ILogger logger, string eventType, string eventId, string url, int statusCode, long elapsedMilliseconds, string fault);

    [LoggerMessage(EventId = 84, Level = LogLevel.Information, Message = "-> {EventType} {EventId} to {Url} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string eventType, string eventId, string url, string error);

    [LoggerMessage(EventId = 85, Level = LogLevel.Information, Message = "-> {EventType} {EventId} to {Url} failed: {Error} [fault {Fault}]")]
    private static partial void LogFaultedFailed(ILogger logger, string eventType, string eventId, string url, string error, string? fault);
}
