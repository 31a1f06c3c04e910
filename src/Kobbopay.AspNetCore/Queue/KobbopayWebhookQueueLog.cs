using Microsoft.Extensions.Logging;

namespace Kobbopay.AspNetCore.Queue;

/// <summary>The inbox worker's log messages (event ids 260 to 269): keys, attempts, exception types and reasons; never the body.</summary>
internal static partial class KobbopayWebhookQueueLog
{
    [LoggerMessage(EventId = 260, Level = LogLevel.Information, Message = "Kobbopay webhook {EventKey} handled from the inbox (attempt {Attempt})")]
    public static partial void Handled(ILogger logger, string eventKey, int attempt);

    [LoggerMessage(EventId = 261, Level = LogLevel.Warning, Message = "Kobbopay webhook {EventKey} failed in attempt {Attempt} ({Reason}); next attempt in {Delay}")]
    public static partial void Retrying(ILogger logger, Exception? exception, string eventKey, int attempt, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 262, Level = LogLevel.Error, Message = "Kobbopay webhook {EventKey} parked for review after attempt {Attempt} ({Reason}); requeue or discard it through IWebhookInbox")]
    public static partial void Parked(ILogger logger, Exception? exception, string eventKey, int attempt, string reason);

    [LoggerMessage(EventId = 263, Level = LogLevel.Error, Message = "Kobbopay webhook inbox unavailable during {Operation}; the worker tries again after its poll interval")]
    public static partial void InboxUnavailable(ILogger logger, Exception exception, string operation);

    [LoggerMessage(EventId = 264, Level = LogLevel.Warning, Message = "Kobbopay webhook {EventKey} finished after its claim's lease lapsed and another worker claimed it; raise LeaseDuration above your slowest handler")]
    public static partial void LeaseLost(ILogger logger, string eventKey);
}
