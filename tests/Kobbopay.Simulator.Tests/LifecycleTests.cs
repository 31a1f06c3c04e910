using System.Text.Json;

namespace Kobbopay.Simulator.Tests;

/// <summary>The lifecycle engine, driven through the in-process control methods and read back over the API.</summary>
public sealed class LifecycleTests
{
    [Fact]
    public async Task PayInFull_MakesThePaymentPaid()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var id = await sim.CreatePaymentAsync(Payments.Body(amount: "10.50"));
        sim.Clock.Advance(TimeSpan.FromMinutes(2));

        var held = sim.Pay(id, txHash: "0xfeed");

        held.Status.ShouldBe("paid");
        held.AmountReceived.ShouldBe(10.50m);
        held.LastSequence.ShouldBe(2);
        var payment = await sim.ReadPaymentAsync(id);
        payment.Str("status").ShouldBe("paid");
        payment.Dec("amountReceived").ShouldBe(10.50m);
        payment.Str("txHash").ShouldBe("0xfeed");
        payment.Time("paidAt").ShouldBe(Sim.Start.AddMinutes(2));
        payment.Time("updatedAt").ShouldBe(Sim.Start.AddMinutes(2));
        payment.Str("confirmedAt").ShouldBeNull();
        payment.Str("expiredAt").ShouldBeNull();
        var events = await sim.EventsOfAsync(id);
        events.Select(e => e.Str("type")).ShouldBe(["payment.created", "payment.paid"]);
        events[1].Str("previousStatus").ShouldBe("pending");
        events[1].Prop("data").Prop("payment").Str("status").ShouldBe("paid");
    }

    [Fact]
    public async Task Confirm_MakesAPaidPaymentConfirmedWith12Confirmations()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var id = await sim.CreatePaymentAsync();
        sim.Pay(id);
        sim.Clock.Advance(TimeSpan.FromMinutes(5));

        var held = sim.Confirm(id);

        held.Status.ShouldBe("confirmed");
        held.Confirmations.ShouldBe(12);
        var payment = await sim.ReadPaymentAsync(id);
        payment.Str("status").ShouldBe("confirmed");
        payment.Int("confirmations").ShouldBe(12);
        payment.Time("confirmedAt").ShouldBe(Sim.Start.AddMinutes(5));
        payment.Time("paidAt").ShouldBe(Sim.Start);
        var events = await sim.EventsOfAsync(id);
        events.Select(e => e.Str("type")).ShouldBe(["payment.created", "payment.paid", "payment.confirmed"]);
        events[2].Str("previousStatus").ShouldBe("paid");
    }

    [Fact]
    public async Task Confirm_WithAConfiguredRequirement_UsesIt()
    {
        await using var sim = await SimulatorSession.StartAsync(o => o.RequiredConfirmations = 3);
        var id = await sim.CreatePaymentAsync();
        sim.Pay(id);

        sim.Confirm(id).Confirmations.ShouldBe(3);

        (await sim.ReadPaymentAsync(id)).Int("confirmations").ShouldBe(3);
    }

    [Fact]
    public async Task PartialPayment_StaysPendingAndRaisesAmountReceived()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var id = await sim.CreatePaymentAsync(Payments.Body(amount: "10.50"));

        var afterFirst = sim.Pay(id, 4.00m);
        var afterSecond = sim.Pay(id, 2.50m);

        afterFirst.Status.ShouldBe("pending");
        afterFirst.AmountReceived.ShouldBe(4.00m);
        afterSecond.Status.ShouldBe("pending");
        afterSecond.AmountReceived.ShouldBe(6.50m);
        var events = await ReadBackUnpaidAsync(sim, id, "pending", 6.50m);
        events.Select(e => e.Str("type")).ShouldBe(["payment.created", "payment.updated", "payment.updated"]);
        events[1].Prop("data").Prop("payment").Dec("amountReceived").ShouldBe(4.00m);
        events[2].Prop("data").Prop("payment").Dec("amountReceived").ShouldBe(6.50m);
    }

    [Fact]
    public async Task Overpayment_IsPaidWithAmountReceivedAboveAmount()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var id = await sim.CreatePaymentAsync(Payments.Body(amount: "10.50"));

        var held = sim.Pay(id, 12m);

        held.Status.ShouldBe("paid");
        var payment = await sim.ReadPaymentAsync(id);
        payment.Str("status").ShouldBe("paid");
        payment.Dec("amountReceived").ShouldBe(12m);
        payment.Dec("amountReceived")!.Value.ShouldBeGreaterThan(payment.Dec("amount")!.Value);
        payment.Str("amount").ShouldBe("10.50");
    }

    [Theory]
    [InlineData("4", null, "10.50", "payment.updated", "payment.paid")]
    [InlineData(null, "1", "11.50", "payment.paid", "payment.updated")]
    public async Task ASecondPayment_OfThePartOwedOrOfMore_LeavesItPaidWithTheSumReceived(
        string? first, string? second, string received, string firstEvent, string secondEvent)
    {
        // null pays what is owed: a partial first payment and then the rest, or a full one and then more funds.
        await using var sim = await SimulatorSession.StartAsync();
        var id = await sim.CreatePaymentAsync(Payments.Body(amount: "10.50"));
        sim.Pay(id, Money(first));

        var held = sim.Pay(id, Money(second));

        held.Status.ShouldBe("paid");
        held.AmountReceived.ShouldBe(Money(received));
        (await sim.EventTypesOfAsync(id)).ShouldBe(["payment.created", firstEvent, secondEvent]);
    }

    [Fact]
    public async Task PayAfterExpiry_StaysExpiredAndEmitsLatePayment()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var id = await sim.CreatePaymentAsync(Payments.Body(amount: "10.50"));
        sim.Expire(id);

        var held = sim.Pay(id, 10.50m);

        held.Status.ShouldBe("expired");
        held.AmountReceived.ShouldBe(10.50m);
        var events = await ReadBackUnpaidAsync(sim, id, "expired", 10.50m);
        events.Select(e => e.Str("type")).ShouldBe(["payment.created", "payment.expired", "payment.late_payment"]);
        events[2].Prop("data").Prop("payment").Str("status").ShouldBe("expired");
    }

    [Fact]
    public async Task ClockPassingExpiresAt_ExpiresAPendingPayment()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var id = await sim.CreatePaymentAsync(Payments.Body(expiresInSeconds: 60));

        sim.Clock.Advance(TimeSpan.FromSeconds(59));
        sim.GetPayment(id).Status.ShouldBe("pending");
        sim.Clock.Advance(TimeSpan.FromSeconds(2));

        sim.GetPayment(id).Status.ShouldBe("expired");
        var payment = await sim.ReadPaymentAsync(id);
        payment.Str("status").ShouldBe("expired");
        payment.Time("expiredAt").ShouldNotBeNull();
        payment.Time("expiredAt")!.Value.ShouldBeInRange(Sim.Start.AddSeconds(60), Sim.Start.AddSeconds(61));
        var events = await sim.EventsOfAsync(id);
        events.Select(e => e.Str("type")).ShouldBe(["payment.created", "payment.expired"]);
        events[1].Str("previousStatus").ShouldBe("pending");
        events[1].Int("sequence").ShouldBe(2);
    }

    [Fact]
    public async Task ClockPassingTheDefaultWindow_ExpiresOnlyThePendingPayments()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var pending = await sim.CreatePaymentAsync();
        var paid = await sim.CreatePaymentAsync();
        var longWindow = await sim.CreatePaymentAsync(Payments.Body(expiresInSeconds: 3600));
        sim.Pay(paid);

        sim.Clock.Advance(TimeSpan.FromMinutes(16));

        sim.GetPayment(pending).Status.ShouldBe("expired");
        sim.GetPayment(paid).Status.ShouldBe("paid");
        sim.GetPayment(longWindow).Status.ShouldBe("pending");
    }

    [Fact]
    public async Task PaidPayment_DoesNotExpireWithTheClockByDefault()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var id = await sim.CreatePaymentAsync();
        sim.Pay(id);

        sim.Clock.Advance(TimeSpan.FromDays(2));

        sim.GetPayment(id).Status.ShouldBe("paid");
    }

    [Fact]
    public async Task ConfirmOfAPendingPayment_ThrowsInvalidTransition()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var id = await sim.CreatePaymentAsync();

        var exception = Should.Throw<SimulatorException>(() => sim.Confirm(id));

        exception.Code.ShouldBe("invalid_transition");
        sim.GetPayment(id).Status.ShouldBe("pending");
        sim.GetPayment(id).LastSequence.ShouldBe(1);
    }

    [Fact]
    public async Task ExpireOfAPaidPayment_ThrowsInvalidTransitionByDefault()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var id = await sim.CreatePaymentAsync();
        sim.Pay(id);

        var exception = Should.Throw<SimulatorException>(() => sim.Expire(id));

        exception.Code.ShouldBe("invalid_transition");
        sim.GetPayment(id).Status.ShouldBe("paid");
        (await sim.EventsOfAsync(id)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task ExpireOfAPaidPayment_WithAllowPaidToExpire_Expires()
    {
        await using var sim = await SimulatorSession.StartAsync(o => o.AllowPaidToExpire = true);
        var id = await sim.CreatePaymentAsync();
        sim.Pay(id);

        var held = sim.Expire(id);

        held.Status.ShouldBe("expired");
        var events = await sim.EventsOfAsync(id);
        events.Select(e => e.Str("type")).ShouldBe(["payment.created", "payment.paid", "payment.expired"]);
        events[2].Str("previousStatus").ShouldBe("paid");
    }

    [Theory]
    [InlineData("confirmed")]
    [InlineData("expired")]
    public async Task TerminalPayment_RefusesFurtherTransitions(string terminal)
    {
        await using var sim = await SimulatorSession.StartAsync();
        var id = await sim.CreatePaymentAsync();
        if (terminal == "confirmed")
        {
            sim.Pay(id);
            sim.Confirm(id);
        }
        else
        {
            sim.Expire(id);
        }

        var sequence = sim.GetPayment(id).LastSequence;

        Should.Throw<SimulatorException>(() => sim.Expire(id)).Code.ShouldBe("invalid_transition");
        Should.Throw<SimulatorException>(() => sim.Confirm(id)).Code.ShouldBe("invalid_transition");
        sim.GetPayment(id).Status.ShouldBe(terminal);
        sim.GetPayment(id).LastSequence.ShouldBe(sequence);
    }

    [Fact]
    public async Task ControlMethods_OnAnUnknownPayment_ThrowPaymentNotFound()
    {
        await using var sim = await SimulatorSession.StartAsync();

        Should.Throw<SimulatorException>(() => sim.Pay("pay_missing")).Code.ShouldBe("payment_not_found");
        Should.Throw<SimulatorException>(() => sim.Confirm("pay_missing")).Code.ShouldBe("payment_not_found");
        Should.Throw<SimulatorException>(() => sim.Expire("pay_missing")).Code.ShouldBe("payment_not_found");
    }

    [Fact]
    public async Task Pay_WithANonPositiveAmount_ThrowsInvalidRequest()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var id = await sim.CreatePaymentAsync();

        Should.Throw<SimulatorException>(() => sim.Pay(id, 0m)).Code.ShouldBe("invalid_request");
        Should.Throw<SimulatorException>(() => sim.Pay(id, -1m)).Code.ShouldBe("invalid_request");
        sim.GetPayment(id).LastSequence.ShouldBe(1);
    }

    [Fact]
    public async Task EventSequence_RisesByOnePerPaymentStartingAt1()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var a = await sim.CreatePaymentAsync(Payments.Body(amount: "10"));
        var b = await sim.CreatePaymentAsync(Payments.Body(amount: "10"));
        sim.Pay(a, 3m);
        sim.Pay(b);
        sim.Pay(a, 3m);
        sim.Confirm(b);
        sim.Pay(a);
        sim.Confirm(a);

        var eventsA = await sim.EventsOfAsync(a);
        var eventsB = await sim.EventsOfAsync(b);

        eventsA.Select(e => e.Int("sequence")).ShouldBe([1L, 2L, 3L, 4L, 5L]);
        eventsA.Select(e => e.Str("type")).ShouldBe(
            ["payment.created", "payment.updated", "payment.updated", "payment.paid", "payment.confirmed"]);
        eventsB.Select(e => e.Int("sequence")).ShouldBe([1L, 2L, 3L]);
        sim.GetPayment(a).LastSequence.ShouldBe(5);
        sim.GetPayment(b).LastSequence.ShouldBe(3);
        eventsA.Concat(eventsB).Select(e => e.Str("id")).Distinct().Count().ShouldBe(8);
        foreach (var evt in eventsA.Concat(eventsB))
        {
            evt.Prop("data").Prop("payment").ValueKind.ShouldBe(JsonValueKind.Object);
        }
    }

    /// <summary>Reads a payment that was never paid in full back over the API (its status, what it received, no paidAt) and returns its events.</summary>
    private static async Task<List<JsonElement>> ReadBackUnpaidAsync(SimulatorSession sim, string id, string status, decimal received)
    {
        var payment = await sim.ReadPaymentAsync(id);
        payment.Str("status").ShouldBe(status);
        payment.Dec("amountReceived").ShouldBe(received);
        payment.Str("paidAt").ShouldBeNull();
        return await sim.EventsOfAsync(id);
    }

    private static decimal? Money(string? amount) => amount is null ? null : decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture);
}
