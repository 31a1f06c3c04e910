using System.Text;
using System.Text.Json;

namespace Kobbopay.Contracts.Tests.Json;

/// <summary>The bodies the client sends and reads, pinned as raw JSON on purpose.</summary>
public sealed class WireShapeTests
{
    [Fact]
    public void CreateBody_CarriesMoneyAsAString_AndTheWindowInSeconds()
    {
        CreatePaymentRequest request = new()
        {
            Amount = 10.50m,
            Currency = "USDT",
            Network = "example-network",
            OrderId = "order-123",
            Metadata = new Dictionary<string, string> { ["k"] = "v" },
            ExpiresIn = TimeSpan.FromMinutes(15),
        };

        string json = Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(request, KobbopayJsonContext.Default.CreatePaymentRequest));

        json.ShouldBe("""{"amount":"10.50","currency":"USDT","network":"example-network","orderId":"order-123","metadata":{"k":"v"},"expiresInSeconds":900}""");
    }

    [Fact]
    public void CreateBody_LeavesOutWhatWasNotGiven()
    {
        CreatePaymentRequest request = new() { Amount = 0.000001m, Currency = "USDT", Network = "n", OrderId = "o" };

        string json = Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(request, KobbopayJsonContext.Default.CreatePaymentRequest));

        json.ShouldBe("""{"amount":"0.000001","currency":"USDT","network":"n","orderId":"o"}""");
    }

    [Fact]
    public void CreateBody_ReadsBack_WithTheWindow()
    {
        CreatePaymentRequest? request = JsonSerializer.Deserialize(
            """{"amount":"1.25","currency":"USDT","network":"n","orderId":"o","expiresInSeconds":120}""",
            KobbopayJsonContext.Default.CreatePaymentRequest);

        request.ShouldNotBeNull();
        (request.Amount, request.ExpiresIn).ShouldBe((1.25m, TimeSpan.FromMinutes(2)));
    }

    [Fact]
    public void ErrorBody_IsRead_AndUnknownFieldsAreKept()
    {
        KobbopayErrorResponse? body = JsonSerializer.Deserialize(
            """{"error":{"code":"invalid_request","message":"amount must be > 0","param":"amount","requestId":"req_1"},"docs":"x"}""",
            KobbopayJsonContext.Default.KobbopayErrorResponse);

        body?.Error.ShouldNotBeNull();
        (body!.Error!.Code, body.Error.Message, body.Error.Param, body.Error.RequestId).ShouldBe(("invalid_request", "amount must be > 0", "amount", "req_1"));
        body.AdditionalProperties!.Keys.ShouldBe(["docs"]);
    }

    [Fact]
    public void Payment_RoundTrips_ThroughTheSerializer_WithMoneyAsStrings()
    {
        Payment payment = KobbopayModelFactory.Payment(amount: 10.50m, amountReceived: 12.5m);

        byte[] json = KobbopaySerializer.SerializeToUtf8Bytes(payment);
        Payment back = KobbopaySerializer.DeserializePayment(json);

        Encoding.UTF8.GetString(json).ShouldContain("\"amount\":\"10.50\"");
        Encoding.UTF8.GetString(json).ShouldContain("\"amountReceived\":\"12.5\"");
        (back.Amount, back.AmountReceived, back.Status).ShouldBe((10.50m, 12.5m, PaymentStatus.Pending));
    }
}
