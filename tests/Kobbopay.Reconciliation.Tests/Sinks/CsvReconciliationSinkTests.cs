namespace Kobbopay.Reconciliation.Tests.Sinks;

public sealed class CsvReconciliationSinkTests
{
    [Fact]
    public async Task Writes_a_header_and_one_rfc4180_row_per_exception()
    {
        using StringWriter writer = new();
        CsvReconciliationSink sink = new(writer);

        await sink.WriteAsync(SampleReport.Late, Ct);
        await sink.WriteAsync(SampleReport.Awkward, Ct);
        await sink.CompleteAsync(SampleReport.Summary, Ct);

        Assert.Equal(
            "kind,orderId,paymentIds,expected,actual,detail,history\r\n"
            + "late_payment,order-1,pay_1,2026-12-01T10:15:00Z,2026-12-01T10:20:00Z,Payment pay_1 received funds after it expired.,"
            + "1 payment.created 2026-12-01T10:00:00Z pending -; 2 payment.expired 2026-12-01T10:15:00Z expired -; 3 payment.late_payment 2026-12-01T10:20:00Z expired 10.50\r\n"
            + "orphan_payment,,pay_2 pay_3,\"an order, \"\"any\"\"\",none,\"line one\nline two\",\r\n",
            writer.ToString());
    }

    [Fact]
    public async Task With_several_payments_each_event_of_the_history_names_its_payment()
    {
        using StringWriter writer = new();

        await new CsvReconciliationSink(writer).WriteAsync(SampleReport.Duplicate, Ct);

        Assert.Equal(
            "kind,orderId,paymentIds,expected,actual,detail,history\r\n"
            + "duplicate_payment,order-2,pay_4 pay_5,1,2,Order order-2 has 2 payments.,"
            + "pay_4 1 payment.created 2026-12-01T10:00:00Z pending -; pay_5 1 payment.created 2026-12-01T10:00:00Z pending -; "
            + "pay_5 2 payment.paid 2026-12-01T10:01:00Z paid 15.00\r\n",
            writer.ToString());
    }

    [Fact]
    public async Task A_run_without_exceptions_writes_the_header_only()
    {
        using StringWriter writer = new();

        await new CsvReconciliationSink(writer).CompleteAsync(SampleReport.Summary, Ct);

        Assert.Equal("kind,orderId,paymentIds,expected,actual,detail,history\r\n", writer.ToString());
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("cr\rlf", "\"cr\rlf\"")]
    [InlineData(null, "")]
    public void Field_quotes_only_what_rfc4180_requires(string? value, string expected) =>
        Assert.Equal(expected, CsvReconciliationSink.Field(value));
}
