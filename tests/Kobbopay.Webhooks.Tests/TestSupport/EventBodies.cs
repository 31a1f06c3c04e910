using Kobbopay.Sdk;

namespace Kobbopay.Webhooks.Tests.TestSupport;

/// <summary>Webhook event bodies built with the SDK's own <see cref="KobbopayModelFactory"/> and <see cref="KobbopaySerializer"/> (dog-food).</summary>
internal static class EventBodies
{
    /// <summary>A <c>payment.paid</c> event for <c>pay_1</c>, as the gateway sends it.</summary>
    /// <param name="id">The event id (empty or <see langword="null"/> for an event without one).</param>
    /// <param name="sequence">The event's sequence number.</param>
    /// <param name="status">The payment's status in the snapshot; <see langword="null"/> for paid.</param>
    public static byte[] Paid(string? id = "evt_1", long? sequence = 2, PaymentStatus? status = null)
    {
        Payment payment = KobbopayModelFactory.Payment(id: "pay_1", status: status ?? PaymentStatus.Paid, amount: 10.50m, amountReceived: 10.50m, confirmations: 1, txHash: "0xdef");
        return KobbopaySerializer.SerializeToUtf8Bytes(
            KobbopayModelFactory.PaymentEvent(PaymentEventType.Paid, payment, id, sequence, PaymentStatus.Pending));
    }
}
