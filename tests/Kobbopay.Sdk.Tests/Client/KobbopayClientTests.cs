using Kobbopay.Sdk.Tests.TestSupport;
using Kobbopay.Simulator;
using Microsoft.Extensions.Time.Testing;
using static Kobbopay.Sdk.Tests.TestSupport.ClientFixture;

namespace Kobbopay.Sdk.Tests.Client;

/// <summary>Each client method against the simulator in process, on real loopback HTTP.</summary>
public sealed class KobbopayClientTests
{
    [Fact]
    public async Task CreatePaymentAsync_CreatesAPaymentWithTheRequestedFields()
    {
        await using var sim = await KobbopaySimulator.StartAsync(cancellationToken: Ct);
        var client = NewClient(sim);

        var payment = await client.CreatePaymentAsync(new CreatePaymentRequest
        {
            Amount = 10.50m,
            Currency = "USDT",
            Network = "example-network",
            OrderId = "order-123",
            Metadata = new Dictionary<string, string> { ["cart"] = "c-9" },
            ExpiresIn = TimeSpan.FromMinutes(30),
        }, cancellationToken: Ct);

        payment.Id.ShouldStartWith("pay_");
        payment.Status.ShouldBe(PaymentStatus.Pending);
        payment.Amount.ShouldBe(10.50m);
        payment.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture).ShouldBe("10.50");
        payment.Currency.ShouldBe("USDT");
        payment.Network.ShouldBe("example-network");
        payment.OrderId.ShouldBe("order-123");
        payment.Metadata.ShouldNotBeNull()["cart"].ShouldBe("c-9");
        (payment.ExpiresAt - payment.CreatedAt).ShouldBe(TimeSpan.FromMinutes(30));
        payment.AmountReceived.ShouldBeNull();
        payment.StatusUrl.ShouldNotBeNull().Scheme.ShouldBe("http");
        sim.PaymentCount.ShouldBe(1);
        sim.GetPayment(payment.Id).Amount.ShouldBe(10.50m);
    }

    [Fact]
    public async Task CreatePaymentAsync_SendsTheAmountAsAStringAndAKey()
    {
        await using var sim = await KobbopaySimulator.StartAsync(cancellationToken: Ct);
        var client = NewClient(sim);

        await client.CreatePaymentAsync(Request("order-1", 0.000001m), cancellationToken: Ct);

        var recorded = sim.Requests.Single(r => r.Path == "/v1/payments");
        recorded.Body.ShouldNotBeNull().ShouldContain("\"amount\":\"0.000001\"");
        recorded.IdempotencyKey.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task CreatePaymentAsync_WithTheSameOrderKeyTwice_ReturnsTheSamePayment()
    {
        await using var sim = await KobbopaySimulator.StartAsync(cancellationToken: Ct);
        var client = NewClient(sim);
        string key = KobbopayIdempotencyKey.FromOrderId("order-7");

        var first = await client.CreatePaymentAsync(Request("order-7"), key, Ct);
        var second = await client.CreatePaymentAsync(Request("order-7"), key, Ct);

        second.Id.ShouldBe(first.Id);
        sim.PaymentCount.ShouldBe(1);
        KobbopayIdempotencyKey.FromOrderId("order-7").ShouldBe(key);
        KobbopayIdempotencyKey.FromOrderId("order-7", "attempt-2").ShouldNotBe(key);
        KobbopayIdempotencyKey.FromOrderId("order-8").ShouldNotBe(key);
    }

    [Fact]
    public async Task GetPaymentAsync_ReadsTheAuthoritativeStatus()
    {
        await using var sim = await KobbopaySimulator.StartAsync(cancellationToken: Ct);
        var client = NewClient(sim);
        var created = await client.CreatePaymentAsync(Request("order-1"), cancellationToken: Ct);
        sim.Pay(created.Id, 20m);

        var read = await client.GetPaymentAsync(created.Id, Ct);

        read.Status.ShouldBe(PaymentStatus.Paid);
        read.AmountReceived.ShouldBe(20m);
        read.PaidAt.ShouldNotBeNull();
        read.TxHash.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task ListPaymentsAsync_PagesThroughEveryMatchNewestFirst()
    {
        await using var sim = await KobbopaySimulator.StartAsync(cancellationToken: Ct);
        var client = NewClient(sim);
        List<string> ids = [];
        for (int i = 0; i < 45; i++)
        {
            ids.Add((await client.CreatePaymentAsync(Request($"order-{i % 3}"), cancellationToken: Ct)).Id);
        }

        sim.ClearRequests();
        List<string> listed = [];
        await foreach (var p in client.ListPaymentsAsync(new PaymentListOptions { PageSize = 10 }, Ct))
        {
            listed.Add(p.Id);
        }

        listed.ShouldBe(Enumerable.Reverse(ids).ToList());
        sim.Requests.Count(r => r.Path == "/v1/payments").ShouldBe(5);

        var filtered = new List<Payment>();
        await foreach (var p in client.ListPaymentsAsync(new PaymentListOptions { OrderId = "order-1", Status = PaymentStatus.Pending }, Ct))
        {
            filtered.Add(p);
        }

        filtered.Count.ShouldBe(15);
        filtered.ShouldAllBe(p => p.OrderId == "order-1");
    }

    [Fact]
    public async Task GetPaymentsPageAsync_ReturnsOnePageAndItsCursor()
    {
        await using var sim = await KobbopaySimulator.StartAsync(cancellationToken: Ct);
        var client = NewClient(sim);
        for (int i = 0; i < 3; i++)
        {
            await client.CreatePaymentAsync(Request($"o-{i}"), cancellationToken: Ct);
        }

        var first = await client.GetPaymentsPageAsync(new PaymentListOptions { PageSize = 2 }, cancellationToken: Ct);
        var second = await client.GetPaymentsPageAsync(new PaymentListOptions { PageSize = 2 }, first.NextCursor, Ct);

        first.Data.Select(p => p.OrderId).ShouldBe(["o-2", "o-1"]);
        first.NextCursor.ShouldNotBeNull();
        second.Data.Select(p => p.OrderId).ShouldBe(["o-0"]);
        second.NextCursor.ShouldBeNull();
    }

    [Fact]
    public async Task ListEventsAsync_ExportsTheLifecycleOldestFirst()
    {
        await using var sim = await KobbopaySimulator.StartAsync(cancellationToken: Ct);
        var client = NewClient(sim);
        var p = await client.CreatePaymentAsync(Request("order-1"), cancellationToken: Ct);
        sim.Pay(p.Id);
        sim.Confirm(p.Id);

        List<PaymentEvent> events = [];
        await foreach (var e in client.ListEventsAsync(new EventListOptions { PageSize = 1 }, Ct))
        {
            events.Add(e);
        }

        events.Select(e => e.Type).ShouldBe([PaymentEventType.Created, PaymentEventType.Paid, PaymentEventType.Confirmed]);
        events.Select(e => e.Sequence).ShouldBe([1L, 2L, 3L]);
        events[1].PreviousStatus.ShouldBe(PaymentStatus.Pending);
        events[2].Payment.ShouldNotBeNull().Status.ShouldBe(PaymentStatus.Confirmed);

        var paidOnly = await client.GetEventsPageAsync(new EventListOptions { Type = PaymentEventType.Paid }, cancellationToken: Ct);
        paidOnly.Data.ShouldHaveSingleItem().PaymentId.ShouldBe(p.Id);
    }

    [Fact]
    public async Task WaitForPaymentAsync_ReturnsOnceThePaymentIsConfirmed()
    {
        await using var sim = await KobbopaySimulator.StartAsync(cancellationToken: Ct);
        var clock = new FakeTimeProvider();
        var timers = new TimerSignal(clock);
        var client = NewClient(sim, timeProvider: timers);
        var p = await client.CreatePaymentAsync(Request("order-1"), cancellationToken: Ct);
        TimeSpan interval = TimeSpan.FromSeconds(1);

        var wait = client.WaitForPaymentAsync(p.Id, PaymentStatus.Confirmed, new PaymentWaitOptions { InitialPollInterval = interval, MaxPollInterval = interval }, Ct);
        await timers.WaitForTimerAsync(interval, wait, Ct);
        Polls(sim, p.Id).ShouldBe(1);
        sim.Pay(p.Id);
        clock.Advance(interval);
        await timers.WaitForTimerAsync(interval, wait, Ct);
        Polls(sim, p.Id).ShouldBe(2);
        wait.IsCompleted.ShouldBeFalse("paid is not yet confirmed");
        sim.Confirm(p.Id);
        clock.Advance(interval);

        var done = await wait;
        done.Status.ShouldBe(PaymentStatus.Confirmed);
        Polls(sim, p.Id).ShouldBe(3);
    }

    [Fact]
    public async Task WaitForPaymentAsync_EndsOnATerminalStatusEvenIfItIsNotTheOneAskedFor()
    {
        await using var sim = await KobbopaySimulator.StartAsync(cancellationToken: Ct);
        var client = NewClient(sim);
        var p = await client.CreatePaymentAsync(Request("order-1"), cancellationToken: Ct);
        sim.Expire(p.Id);

        var done = await client.WaitForPaymentAsync(p.Id, PaymentStatus.Confirmed, cancellationToken: Ct);

        done.Status.ShouldBe(PaymentStatus.Expired);
    }

    [Fact]
    public async Task WaitForPaymentAsync_TimesOutWithTheLastStatus()
    {
        await using var sim = await KobbopaySimulator.StartAsync(cancellationToken: Ct);
        var clock = new FakeTimeProvider();
        var timers = new TimerSignal(clock);
        var client = NewClient(sim, timeProvider: timers);
        var p = await client.CreatePaymentAsync(Request("order-1"), cancellationToken: Ct);
        TimeSpan interval = TimeSpan.FromSeconds(4);

        var wait = client.WaitForPaymentAsync(p.Id, PaymentStatus.Paid, new PaymentWaitOptions { InitialPollInterval = interval, MaxPollInterval = interval, Timeout = TimeSpan.FromSeconds(10) }, Ct);
        for (int poll = 0; poll < 3; poll++)
        {
            // Polls at 0, 4 and 8 s; the advance from 8 to 12 s passes the 10 s timeout.
            await timers.WaitForTimerAsync(interval, wait, Ct);
            clock.Advance(interval);
        }

        var ex = await Should.ThrowAsync<KobbopayTimeoutException>(wait);
        ex.Message.ShouldContain("did not reach paid within 00:00:10; its last status was pending");
        Polls(sim, p.Id).ShouldBe(3);
    }

    [Fact]
    public async Task WaitForPaymentAsync_RejectsAnUnrankedStatus()
    {
        await using var sim = await KobbopaySimulator.StartAsync(cancellationToken: Ct);
        var client = NewClient(sim);

        var ex = await Should.ThrowAsync<ArgumentException>(client.WaitForPaymentAsync("pay_x", new PaymentStatus("refunded"), cancellationToken: Ct));
        ex.Message.ShouldContain("StatusRanks");
    }

    [Fact]
    public async Task Calls_HonorCancellation()
    {
        await using var sim = await KobbopaySimulator.StartAsync(cancellationToken: Ct);
        var client = NewClient(sim);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(client.CreatePaymentAsync(Request("o"), cancellationToken: cts.Token));
        await Should.ThrowAsync<OperationCanceledException>(client.GetPaymentAsync("pay_x", cts.Token));
        sim.PaymentCount.ShouldBe(0);
    }

    private static int Polls(KobbopaySimulator sim, string id) => sim.Requests.Count(r => r.Method == "GET" && r.Path == "/v1/payments/" + id);
}
