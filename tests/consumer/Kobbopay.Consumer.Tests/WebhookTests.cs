using System.Net;
using Kobbopay.Contracts;
using Kobbopay.EventStore.Sqlite;
using Kobbopay.Sdk;
using Kobbopay.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Kobbopay.Consumer.Tests;

/// <summary>What a merchant's test does with the packages: a webhook signed as the gateway signs it, through the app's endpoint.</summary>
public sealed class WebhookTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ASignedWebhook_IsAnswered200_HandledOnce_AndRemembered()
    {
        await using MerchantApiFactory app = new();
        using HttpClient http = app.CreateClient();
        byte[] body = PaidEvent("evt_consumer_1", "order-consumer-1");

        using HttpResponseMessage first = await http.SendAsync(Delivery(body, "evt_consumer_1", MerchantApiFactory.Secret), Ct);
        using HttpResponseMessage again = await http.SendAsync(Delivery(body, "evt_consumer_1", MerchantApiFactory.Secret), Ct);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(1, app.Orders.EventsApplied);
        Assert.Equal("paid", app.Orders.Get("order-consumer-1")?.Status);
        Assert.IsType<SqliteWebhookEventStore>(app.Services.GetRequiredService<IWebhookEventStore>());
    }

    [Fact]
    public async Task AWebhookSignedWithAnotherSecret_IsAnswered401_AndNotHandled()
    {
        await using MerchantApiFactory app = new();
        using HttpClient http = app.CreateClient();
        byte[] body = PaidEvent("evt_consumer_2", "order-consumer-2");

        using HttpResponseMessage forged = await http.SendAsync(Delivery(body, "evt_consumer_2", "whsk_not_the_merchants_secret"), Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(0, app.Orders.EventsApplied);
        Assert.Null(app.Orders.Get("order-consumer-2"));
    }

    private static byte[] PaidEvent(string eventId, string orderId) => KobbopaySerializer.SerializeToUtf8Bytes(
        KobbopayModelFactory.PaymentEvent(
            PaymentEventType.Paid,
            KobbopayModelFactory.Payment(id: "pay_" + eventId, status: PaymentStatus.Paid, orderId: orderId),
            id: eventId,
            sequence: 2,
            previousStatus: PaymentStatus.Pending));

    /// <summary>A delivery as the gateway sends it: the body, its event and delivery ids, and the signature headers.</summary>
    private static HttpRequestMessage Delivery(byte[] body, string eventId, string secret)
    {
        HttpRequestMessage request = new(HttpMethod.Post, "/webhook/kobbopay") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add(KobbopayHeaders.EventId, eventId);
        request.Headers.Add(KobbopayHeaders.DeliveryId, "dlv_" + Guid.NewGuid().ToString("N"));
        foreach (KeyValuePair<string, string> header in KobbopayWebhookSigner.Sign(body, HmacSha256HexSignatureScheme.SchemeName, secret, eventId, DateTimeOffset.UtcNow))
        {
            request.Headers.Add(header.Key, header.Value);
        }

        return request;
    }
}
