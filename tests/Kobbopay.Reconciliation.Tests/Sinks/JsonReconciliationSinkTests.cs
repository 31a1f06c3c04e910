using System.Text.Json;

namespace Kobbopay.Reconciliation.Tests.Sinks;

public sealed class JsonReconciliationSinkTests
{
    [Fact]
    public async Task Writes_the_exceptions_then_the_summary_as_one_document()
    {
        using MemoryStream stream = new();
        await using (JsonReconciliationSink sink = new(stream))
        {
            await sink.WriteAsync(SampleReport.Late, Ct);
            await sink.WriteAsync(SampleReport.Awkward, Ct);
            await sink.CompleteAsync(SampleReport.Summary, Ct);
        }

        using JsonDocument document = JsonDocument.Parse(stream.ToArray());
        JsonElement root = document.RootElement;
        Assert.Equal(["exceptions", "summary"], root.EnumerateObject().Select(p => p.Name));
        JsonElement late = root.GetProperty("exceptions")[0];
        Assert.Equal(
            ["kind", "orderId", "paymentIds", "expected", "actual", "detail", "history"],
            late.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("late_payment", "order-1", "pay_1"), (late.GetProperty("kind").GetString(), late.GetProperty("orderId").GetString(), late.GetProperty("paymentIds")[0].GetString()));
        JsonElement lastStep = late.GetProperty("history")[2];
        Assert.Equal(("payment.late_payment", 3, "10.50"), (lastStep.GetProperty("type").GetString(), lastStep.GetProperty("sequence").GetInt32(), lastStep.GetProperty("amountReceived").GetString()));
        JsonElement orphan = root.GetProperty("exceptions")[1];
        Assert.Equal((JsonValueKind.Null, "an order, \"any\"", 2), (orphan.GetProperty("orderId").ValueKind, orphan.GetProperty("expected").GetString(), orphan.GetProperty("paymentIds").GetArrayLength()));
        JsonElement summary = root.GetProperty("summary");
        Assert.Equal(("kobbopay-identity-1", 10, 11, 2), (summary.GetProperty("mappingVersion").GetString(), summary.GetProperty("ordersChecked").GetInt32(), summary.GetProperty("paymentsChecked").GetInt32(), summary.GetProperty("exceptionCount").GetInt32()));
        Assert.Equal(1, summary.GetProperty("exceptionsByKind").GetProperty("late_payment").GetInt32());
    }

    [Fact]
    public async Task A_run_without_exceptions_writes_an_empty_list_and_the_summary()
    {
        using MemoryStream stream = new();
        await using (JsonReconciliationSink sink = new(stream))
        {
            await sink.CompleteAsync(SampleReport.Summary, Ct);
        }

        using JsonDocument document = JsonDocument.Parse(stream.ToArray());
        Assert.Equal(0, document.RootElement.GetProperty("exceptions").GetArrayLength());
        Assert.Equal(JsonValueKind.Object, document.RootElement.GetProperty("summary").ValueKind);
    }

    [Fact]
    public async Task Each_exception_reaches_the_stream_as_it_is_written()
    {
        using MemoryStream stream = new();
        await using JsonReconciliationSink sink = new(stream);

        await sink.WriteAsync(SampleReport.Late, Ct);

        Assert.StartsWith("{\"exceptions\":[{\"kind\":\"late_payment\"", System.Text.Encoding.UTF8.GetString(stream.ToArray()), StringComparison.Ordinal);
    }
}
