using Microsoft.Extensions.Logging;

namespace Kobbopay.AspNetCore.Internal;

/// <summary>
/// The webhook endpoint's log messages (event ids 200 to 299; the processor underneath logs its own decisions with
/// ids 300 and up, including the handler's exception). They carry event and delivery ids, types, sizes and outcomes;
/// never a header value other than the delivery id and content type, never the body, a secret or a signature.
/// </summary>
internal static partial class KobbopayWebhookLog
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Kobbopay webhook {EventType} {EventKey} processed (delivery {DeliveryId}, {ElapsedMs:0.0} ms)")]
    public static partial void Processed(ILogger logger, string eventType, string eventKey, string deliveryId, double elapsedMs);

    [LoggerMessage(EventId = 201, Level = LogLevel.Debug, Message = "Kobbopay webhook delivery {DeliveryId} answered {StatusCode} ({Outcome}) in {ElapsedMs:0.0} ms")]
    public static partial void Answered(ILogger logger, string deliveryId, int statusCode, string outcome, double elapsedMs);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "Kobbopay webhook handler {Handler} threw {ExceptionType} on {EventType} {EventKey}; the remaining handlers do not run and the event stays open for redelivery (delivery {DeliveryId})")]
    public static partial void HandlerFailed(ILogger logger, string handler, string exceptionType, string eventType, string eventKey, string deliveryId);

    [LoggerMessage(EventId = 203, Level = LogLevel.Warning, Message = "Kobbopay webhook refused: body of {BodyBytes} bytes or more is over the limit of {MaxBodyBytes}; answered 413 (delivery {DeliveryId})")]
    public static partial void TooLarge(ILogger logger, long bodyBytes, long maxBodyBytes, string deliveryId);

    [LoggerMessage(EventId = 204, Level = LogLevel.Warning, Message = "Kobbopay webhook refused: content type {ContentType} is not application/json; answered 415 (delivery {DeliveryId})")]
    public static partial void UnsupportedMediaType(ILogger logger, string contentType, string deliveryId);

    [LoggerMessage(EventId = 205, Level = LogLevel.Debug, Message = "Kobbopay webhook request aborted by the client before it was answered (delivery {DeliveryId})")]
    public static partial void Aborted(ILogger logger, string deliveryId);

    [LoggerMessage(EventId = 206, Level = LogLevel.Debug, Message = "Kobbopay webhook request body could not be read ({StatusCode}); the server answers (delivery {DeliveryId})")]
    public static partial void BodyUnreadable(ILogger logger, int statusCode, string deliveryId);

    [LoggerMessage(EventId = 207, Level = LogLevel.Debug, Message = "Kobbopay webhook {EventType} {EventKey} has no handler registered for its type; recorded as processed")]
    public static partial void NoHandler(ILogger logger, string eventType, string eventKey);

    [LoggerMessage(EventId = 209, Level = LogLevel.Warning, Message = "Kobbopay webhook refused: {Reason}; answered 403 without reading the body (remote address {RemoteAddress}, delivery {DeliveryId})")]
    public static partial void Forbidden(ILogger logger, string reason, string remoteAddress, string deliveryId);

    [LoggerMessage(EventId = 208, Level = LogLevel.Trace, Message = "Kobbopay webhook handler {Handler} handled {EventType} {EventKey}")]
    public static partial void HandlerCompleted(ILogger logger, string handler, string eventType, string eventKey);

    [LoggerMessage(EventId = 210, Level = LogLevel.Warning, Message = "Kobbopay webhook: payment {PaymentId} could not be read from the API before handling ({ExceptionType}); answered 503, the event stays open for redelivery (delivery {DeliveryId})")]
    public static partial void FetchFailed(ILogger logger, string exceptionType, string paymentId, string deliveryId);
}
