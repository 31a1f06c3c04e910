namespace Kobbopay.Reconciliation.Tests.Sinks;

public sealed class CsvReconciliationSinkTests
{
    private const string Header = "kind,orderId,paymentIds,expected,actual,detail,history\r\n";

    [Fact]
    public async Task Writes_a_header_and_one_rfc4180_row_per_exception() =>
        Assert.Equal(
            Header
            + "late_payment,order-1,pay_1,2026-12-01T10:15:00Z,2026-12-01T10:20:00Z,Payment pay_1 received funds after it expired.,"
            + "1 payment.created 2026-12-01T10:00:00Z pending -; 2 payment.expired 2026-12-01T10:15:00Z expired -; 3 payment.late_payment 2026-12-01T10:20:00Z expired 10.50\r\n"
            + "orphan_payment,,pay_2 pay_3,\"an order, \"\"any\"\"\",none,\"line one\nline two\",\r\n",
            await CsvOfAsync(SampleReport.Late, SampleReport.Awkward));

    [Fact]
    public async Task With_several_payments_each_event_of_the_history_names_its_payment() =>
        Assert.Equal(
            Header
            + "duplicate_payment,order-2,pay_4 pay_5,1,2,Order order-2 has 2 payments.,"
            + "pay_4 1 payment.created 2026-12-01T10:00:00Z pending -; pay_5 1 payment.created 2026-12-01T10:00:00Z pending -; "
            + "pay_5 2 payment.paid 2026-12-01T10:01:00Z paid 15.00\r\n",
            await CsvOfAsync(SampleReport.Duplicate));

    [Fact]
    public async Task A_run_without_exceptions_writes_the_header_only() =>
        Assert.Equal(Header, await CsvOfAsync());

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("cr\rlf", "\"cr\rlf\"")]
    [InlineData(null, "")]
    public void Field_quotes_only_what_rfc4180_requires(string? value, string expected) =>
        Assert.Equal(expected, CsvReconciliationSink.Field(value));

    /// <summary>What the sink writes for a run with <paramref name="exceptions"/>, completed with the sample summary.</summary>
    private static async Task<string> CsvOfAsync(params ReconciliationDiscrepancy[] exceptions)
    {
        using StringWriter writer = new();
        CsvReconciliationSink sink = new(writer);
        foreach (ReconciliationDiscrepancy exception in exceptions)
        {
            await sink.WriteAsync(exception, Ct);
        }

        await sink.CompleteAsync(SampleReport.Summary, Ct);
        return writer.ToString();
    }
}
