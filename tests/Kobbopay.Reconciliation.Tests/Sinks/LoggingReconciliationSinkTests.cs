using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Kobbopay.Reconciliation.Tests.Sinks;

public sealed class LoggingReconciliationSinkTests
{
    [Fact]
    public async Task Logs_each_exception_as_a_structured_warning_and_the_summary_as_information()
    {
        FakeLogger<LoggingReconciliationSink> logger = new();
        LoggingReconciliationSink sink = new(logger);

        await sink.WriteAsync(SampleReport.Awkward, Ct);
        await sink.CompleteAsync(SampleReport.Summary, Ct);

        IReadOnlyList<FakeLogRecord> records = logger.Collector.GetSnapshot();
        Assert.Equal([LogLevel.Warning, LogLevel.Information], records.Select(r => r.Level));
        Assert.Equal("orphan_payment", records[0].GetStructuredStateValue("Kind"));
        Assert.Equal("pay_2 pay_3", records[0].GetStructuredStateValue("PaymentIds"));
        Assert.Equal("2", records[1].GetStructuredStateValue("ExceptionCount"));
    }
}
