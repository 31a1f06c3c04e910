using System.Globalization;
using System.Text;

namespace Kobbopay.Webhooks.Tests.TestSupport;

/// <summary>Hand-written contract JSON for the parser tests, which pin the wire text on purpose (a body from our own serializer would agree with our own parser whatever the contract says); other tests use <see cref="EventBodies"/>.</summary>
internal static class EventJson
{
    public static byte[] Create(
        string id = "evt_1",
        string type = "payment.paid",
        string paymentId = "pay_1",
        long? sequence = 2,
        string status = "paid",
        string previousStatus = "pending") =>
        Encoding.UTF8.GetBytes(CreateText(id, type, paymentId, sequence, status, previousStatus));

    public static string CreateText(
        string id = "evt_1",
        string type = "payment.paid",
        string paymentId = "pay_1",
        long? sequence = 2,
        string status = "paid",
        string previousStatus = "pending")
    {
        string sequenceJson = sequence is { } s ? s.ToString(CultureInfo.InvariantCulture) : "null";
        return $$$"""
            {"id":"{{{id}}}","type":"{{{type}}}","createdAt":"2026-01-01T00:05:00Z","paymentId":"{{{paymentId}}}","sequence":{{{sequenceJson}}},"previousStatus":"{{{previousStatus}}}",
             "data":{"payment":{"id":"{{{paymentId}}}","status":"{{{status}}}","amount":"10.50","currency":"USDT","network":"example-network","orderId":"order-1",
               "metadata":{"k":"v"},"address":"0xabc","amountReceived":"10.50","confirmations":1,"txHash":"0xdef",
               "createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:05:00Z","expiresAt":"2026-01-01T00:15:00Z","paidAt":"2026-01-01T00:05:00Z"}}
            }
            """;
    }
}
