namespace Kobbopay.Webhooks.Tests.Events;

public sealed class PaymentLifecycleOrderingTests
{
    private static readonly PaymentStatus Refunded = new("refunded");
    private readonly PaymentLifecycleOrdering _ordering = new();

    [Fact]
    public void Late_paid_never_overwrites_confirmed_by_sequence()
    {
        _ordering.IsForward(Paid(sequence: 2), currentSequence: 3, PaymentStatus.Confirmed).ShouldBeFalse();
    }

    [Fact]
    public void Late_paid_never_overwrites_confirmed_by_rank_without_sequences()
    {
        _ordering.IsForward(Paid(sequence: null), currentSequence: null, PaymentStatus.Confirmed).ShouldBeFalse();
        _ordering.IsForward(Paid(sequence: 2), currentSequence: null, PaymentStatus.Confirmed).ShouldBeFalse();
        _ordering.IsForward(Paid(sequence: null), currentSequence: 3, PaymentStatus.Confirmed).ShouldBeFalse();
    }

    [Fact]
    public void Forward_moves_are_forward_by_rank()
    {
        _ordering.IsForward(Paid(sequence: null), null, PaymentStatus.Pending).ShouldBeTrue();
        _ordering.IsForward(Event(PaymentEventType.Confirmed, PaymentStatus.Confirmed, null), null, PaymentStatus.Paid).ShouldBeTrue();
        _ordering.IsForward(Event(PaymentEventType.Expired, PaymentStatus.Expired, null), null, PaymentStatus.Pending).ShouldBeTrue();
    }

    [Fact]
    public void Same_rank_is_not_forward_by_rank()
    {
        _ordering.IsForward(Paid(sequence: null), null, PaymentStatus.Paid).ShouldBeFalse();
        _ordering.IsForward(Event(PaymentEventType.Expired, PaymentStatus.Expired, null), null, PaymentStatus.Confirmed).ShouldBeFalse();
        _ordering.IsForward(Event(PaymentEventType.Confirmed, PaymentStatus.Confirmed, null), null, PaymentStatus.Expired).ShouldBeFalse();
    }

    [Fact]
    public void Sequence_decides_when_both_are_known()
    {
        // A payment.updated (partial payment) keeps the status: only the sequence says it is newer.
        PaymentEvent updated = Event(PaymentEventType.Updated, PaymentStatus.Paid, sequence: 3);

        _ordering.IsForward(updated, currentSequence: 2, PaymentStatus.Paid).ShouldBeTrue();
        _ordering.IsForward(updated, currentSequence: 3, PaymentStatus.Paid).ShouldBeFalse();
        _ordering.IsForward(updated, currentSequence: 4, PaymentStatus.Paid).ShouldBeFalse();
    }

    [Fact]
    public void No_current_state_is_forward()
    {
        _ordering.IsForward(Paid(sequence: 1), currentSequence: null, currentStatus: null).ShouldBeTrue();
        _ordering.IsForward(Paid(sequence: null), currentSequence: null, currentStatus: null).ShouldBeTrue();
    }

    [Fact]
    public void Unranked_status_is_never_forward_over_a_known_one_by_default()
    {
        PaymentEvent refunded = Event(new PaymentEventType("payment.refunded"), Refunded, sequence: null);

        _ordering.IsForward(refunded, null, PaymentStatus.Pending).ShouldBeFalse();
        _ordering.IsForward(refunded, null, PaymentStatus.Confirmed).ShouldBeFalse();
    }

    [Fact]
    public void Unknown_statuses_are_ranked_by_configuration()
    {
        PaymentLifecycleOrdering ordering = new(new Dictionary<string, int>
        {
            ["pending"] = 0,
            ["paid"] = 1,
            ["confirmed"] = 2,
            ["expired"] = 2,
            ["refunded"] = 3,
        });
        PaymentEvent refunded = Event(new PaymentEventType("payment.refunded"), Refunded, sequence: null);

        ordering.IsForward(refunded, null, PaymentStatus.Confirmed).ShouldBeTrue();
        ordering.IsForward(Event(PaymentEventType.Confirmed, PaymentStatus.Confirmed, null), null, Refunded).ShouldBeFalse();
        ordering.IsForward(Paid(sequence: null), null, PaymentStatus.Confirmed).ShouldBeFalse();
    }

    [Fact]
    public void Configuration_replaces_the_default_ranks()
    {
        // A deployment where "paid" is final and "confirmed" is an intermediate step.
        PaymentLifecycleOrdering ordering = new(new Dictionary<string, int> { ["pending"] = 0, ["confirmed"] = 1, ["paid"] = 2 });

        ordering.IsForward(Paid(sequence: null), null, PaymentStatus.Confirmed).ShouldBeTrue();
        ordering.IsForward(Event(PaymentEventType.Confirmed, PaymentStatus.Confirmed, null), null, PaymentStatus.Paid).ShouldBeFalse();
    }

    private static PaymentEvent Paid(long? sequence) => Event(PaymentEventType.Paid, PaymentStatus.Paid, sequence);

    private static PaymentEvent Event(PaymentEventType type, PaymentStatus status, long? sequence) =>
        KobbopayModelFactory.PaymentEvent(type, KobbopayModelFactory.Payment(id: "pay_1", status: status), id: "evt_" + type.Value, sequence: sequence);
}
