using System.Text;

namespace Kobbopay.Benchmarks;

/// <summary>Webhook bodies shaped like the gateway's: a payment.created envelope, padded in metadata to a size.</summary>
internal static class BenchData
{
    public static byte[] EventBody(string eventId, int size = 0)
    {
        string head = "{\"id\":\"" + eventId + "\",\"type\":\"payment.created\",\"createdAt\":\"2026-01-01T00:00:00Z\",\"paymentId\":\"pay_" + eventId
            + "\",\"sequence\":1,\"data\":{\"payment\":{\"id\":\"pay_" + eventId + "\",\"status\":\"pending\",\"amount\":\"10.00\",\"currency\":\"USDT\",\"network\":\"example-network\",\"orderId\":\"order-" + eventId
            + "\",\"address\":\"0x00000000000000000000000000000000000000aa\",\"createdAt\":\"2026-01-01T00:00:00Z\",\"updatedAt\":\"2026-01-01T00:00:00Z\",\"expiresAt\":\"2026-01-01T00:15:00Z\",\"metadata\":{\"pad\":\"";
        const string Tail = "\"}}}}";
        int pad = Math.Max(0, size - head.Length - Tail.Length);
        return Encoding.UTF8.GetBytes(head + new string('x', pad) + Tail);
    }
}
