namespace Kobbopay.Webhooks.Tests.Events;

public sealed class WebhookDedupeKeyTests
{
    [Fact]
    public void Event_id_is_the_key_when_present()
    {
        WebhookDedupeKey.For(Event(id: "evt_123", sequence: 4)).ShouldBe("evt_123");
    }

    [Fact]
    public void Without_an_event_id_the_key_is_payment_type_and_sequence()
    {
        WebhookDedupeKey.For(Event(id: string.Empty, sequence: 4)).ShouldBe("pay_1:payment.paid:seq-4");
    }

    [Fact]
    public void Without_an_event_id_or_sequence_the_key_is_payment_type_and_target_status()
    {
        WebhookDedupeKey.For(Event(id: string.Empty, sequence: null)).ShouldBe("pay_1:payment.paid:to-paid");
    }

    [Fact]
    public void Unknown_types_and_statuses_are_used_as_they_are()
    {
        PaymentEvent e = KobbopayModelFactory.PaymentEvent(
            new PaymentEventType("payment.refunded"),
            KobbopayModelFactory.Payment(id: "pay_9", status: new PaymentStatus("refunded")),
            id: string.Empty,
            sequence: null);

        WebhookDedupeKey.For(e).ShouldBe("pay_9:payment.refunded:to-refunded");
    }

    [Fact]
    public void Same_transition_redelivered_gets_the_same_key_and_different_transitions_do_not()
    {
        WebhookDedupeKey.For(Event(id: string.Empty, sequence: 2)).ShouldBe(WebhookDedupeKey.For(Event(id: string.Empty, sequence: 2)));
        WebhookDedupeKey.For(Event(id: string.Empty, sequence: 2)).ShouldNotBe(WebhookDedupeKey.For(Event(id: string.Empty, sequence: 3)));
        WebhookDedupeKey.For(Event(id: string.Empty, sequence: null))
            .ShouldNotBe(WebhookDedupeKey.For(Event(id: string.Empty, sequence: null, type: PaymentEventType.Confirmed, status: PaymentStatus.Confirmed)));
    }

    private static PaymentEvent Event(string id, long? sequence, PaymentEventType? type = null, PaymentStatus? status = null) =>
        KobbopayModelFactory.PaymentEvent(
            type ?? PaymentEventType.Paid,
            KobbopayModelFactory.Payment(id: "pay_1", status: status ?? PaymentStatus.Paid),
            id: id,
            sequence: sequence);
}
