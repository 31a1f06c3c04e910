using Microsoft.Extensions.Logging;

namespace Kobbopay.Reconciliation;

/// <summary>
/// Logs each exception as a structured warning (kind, order, payments, expected, actual) and the summary as
/// information. It logs no history and nothing secret: the reconciler holds no API key to give it.
/// </summary>
/// <param name="logger">Where to log.</param>
public sealed partial class LoggingReconciliationSink(ILogger<LoggingReconciliationSink> logger) : IReconciliationSink
{
    private readonly ILogger _logger = Guard.NotNull(logger);

    /// <inheritdoc/>
    public ValueTask WriteAsync(ReconciliationDiscrepancy exception, CancellationToken cancellationToken)
    {
        Guard.NotNull(exception);
        LogException(_logger, exception.Kind, exception.OrderId, string.Join(' ', exception.PaymentIds), exception.Expected, exception.Actual, exception.Detail);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask CompleteAsync(ReconciliationSummary summary, CancellationToken cancellationToken)
    {
        Guard.NotNull(summary);
        LogSummary(_logger, summary.From, summary.To, summary.MappingVersion, summary.OrdersChecked, summary.PaymentsChecked, summary.ExceptionCount);
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(EventId = 710, Level = LogLevel.Warning, Message = "Kobbopay reconciliation exception {Kind} for order {OrderId}, payments {PaymentIds}: expected {Expected}, actual {Actual}. {Detail}")]
    private static partial void LogException(ILogger logger, string kind, string? orderId, string paymentIds, string? expected, string? actual, string detail);

    [LoggerMessage(EventId = 711, Level = LogLevel.Information, Message = "Kobbopay reconciliation of {From:O} to {To:O} (mapping {MappingVersion}): {OrdersChecked} orders, {PaymentsChecked} payments, {ExceptionCount} exceptions")]
    private static partial void LogSummary(ILogger logger, DateTimeOffset from, DateTimeOffset to, string mappingVersion, long ordersChecked, long paymentsChecked, long exceptionCount);
}
