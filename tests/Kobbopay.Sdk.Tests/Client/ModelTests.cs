using System.Text.Json;
using Kobbopay.Sdk.Internal;

namespace Kobbopay.Sdk.Tests.Client;

/// <summary>Models read the contract's JSON, keep what they do not know, and round-trip it.</summary>
public sealed class ModelTests
{
    private const string PaymentJson = """
        {"id":"pay_1","status":"refund_pending","amount":"10.50","currency":"USDT","network":"n","orderId":"o",
         "metadata":{"k":"v"},"address":"a","statusUrl":"https://pay.example/p/t","amountReceived":"12.000001",
         "confirmations":3,"txHash":"0x1","createdAt":"2026-11-21T10:00:00Z","updatedAt":"2026-11-21T10:05:00Z",
         "expiresAt":"2026-11-21T10:15:00Z","paidAt":null,"confirmedAt":null,"expiredAt":null,"riskScore":{"level":"low"}}
        """;

    [Fact]
    public void Payment_KeepsUnknownStatusesAndFields_AndWritesMoneyAsStrings()
    {
        var payment = JsonSerializer.Deserialize(PaymentJson, KobbopayJsonContext.Default.Payment)!;

        payment.Status.Value.ShouldBe("refund_pending");
        payment.Status.ShouldNotBe(PaymentStatus.Pending);
        payment.Amount.ShouldBe(10.50m);
        payment.AmountReceived.ShouldBe(12.000001m);
        payment.CreatedAt.ShouldBe(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero));
        payment.AdditionalProperties.ShouldNotBeNull().ShouldContainKey("riskScore");

        string written = JsonSerializer.Serialize(payment, KobbopayJsonContext.Default.Payment);
        written.ShouldContain("\"status\":\"refund_pending\"");
        written.ShouldContain("\"amount\":\"10.50\"");
        written.ShouldContain("\"amountReceived\":\"12.000001\"");
        written.ShouldContain("\"riskScore\":{\"level\":\"low\"}");
    }

    [Fact]
    public void PaymentEvent_KeepsUnknownTypes()
    {
        string json = """{"id":"evt_1","type":"payment.refunded","createdAt":"2026-11-21T10:00:00Z","paymentId":"pay_1","sequence":7,"previousStatus":"confirmed","data":{"payment":""" + PaymentJson + "}}";

        var e = JsonSerializer.Deserialize(json, KobbopayJsonContext.Default.PaymentEvent)!;

        e.Type.Value.ShouldBe("payment.refunded");
        e.Sequence.ShouldBe(7);
        e.PreviousStatus.ShouldBe(PaymentStatus.Confirmed);
        e.Payment.ShouldNotBeNull().Id.ShouldBe("pay_1");
        JsonSerializer.Serialize(e, KobbopayJsonContext.Default.PaymentEvent).ShouldContain("\"type\":\"payment.refunded\"");
    }

    [Fact]
    public void StringValues_CompareOrdinally()
    {
        new PaymentStatus("paid").ShouldBe(PaymentStatus.Paid);
        (new PaymentStatus("PAID") == PaymentStatus.Paid).ShouldBeFalse();
        new PaymentEventType("payment.paid").ShouldBe(PaymentEventType.Paid);
        default(PaymentStatus).Value.ShouldBe(string.Empty);
        Should.Throw<ArgumentException>(() => new PaymentStatus(""));
    }

    [Fact]
    public void ModelFactory_BuildsModelsForMerchantTests()
    {
        var p = KobbopayModelFactory.Payment(id: "pay_9", status: PaymentStatus.Paid, amount: 5m, amountReceived: 5m);
        var e = KobbopayModelFactory.PaymentEvent(PaymentEventType.Paid, p, sequence: 2, previousStatus: PaymentStatus.Pending);
        var page = KobbopayModelFactory.Page([p], "next");
        var ex = new KobbopayApiException(404, "payment_not_found", "error", null, "req_test");

        (p.Id, p.Status, p.AmountReceived).ShouldBe(("pay_9", PaymentStatus.Paid, 5m));
        (e.PaymentId, e.Sequence, e.Payment).ShouldBe(("pay_9", 2L, p));
        (page.Data.Count, page.NextCursor).ShouldBe((1, "next"));
        (ex.StatusCode, ex.ErrorCode).ShouldBe((404, "payment_not_found"));
    }

    [Fact]
    public async Task KobbopayClient_IsMockable_ItsOwnPagingRunsOverAMockedPageCall()
    {
        PagedClient mock = new(
            KobbopayModelFactory.Page([KobbopayModelFactory.Payment(id: "pay_1"), KobbopayModelFactory.Payment(id: "pay_2")], "cursor-2"),
            KobbopayModelFactory.Page([KobbopayModelFactory.Payment(id: "pay_3")]));
        KobbopayClient client = mock;

        List<string> ids = [];
        await foreach (Payment payment in client.ListPaymentsAsync(cancellationToken: TestContext.Current.CancellationToken))
        {
            ids.Add(payment.Id);
        }

        ids.ShouldBe(["pay_1", "pay_2", "pay_3"]);
        mock.Cursors.ShouldBe([null, "cursor-2"]);
        var unmocked = await Should.ThrowAsync<InvalidOperationException>(client.GetPaymentAsync("pay_1", TestContext.Current.CancellationToken));
        unmocked.Message.ShouldContain("protected constructor");
    }

    /// <summary>A mock that overrides only the page call and serves fixed pages in order.</summary>
    private sealed class PagedClient(params Page<Payment>[] pages) : KobbopayClient
    {
        public List<string?> Cursors { get; } = [];

        public override Task<Page<Payment>> GetPaymentsPageAsync(PaymentListOptions? options = null, string? cursor = null, CancellationToken cancellationToken = default)
        {
            Cursors.Add(cursor);
            return Task.FromResult(pages[Cursors.Count - 1]);
        }
    }
}
