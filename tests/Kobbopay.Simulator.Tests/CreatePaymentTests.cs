using System.Text.Json;

namespace Kobbopay.Simulator.Tests;

public sealed class CreatePaymentTests
{
    private static readonly string[] PaymentFields =
    [
        "id", "status", "amount", "currency", "network", "orderId", "metadata", "address", "statusUrl",
        "amountReceived", "confirmations", "txHash", "createdAt", "updatedAt", "expiresAt", "paidAt",
        "confirmedAt", "expiredAt",
    ];

    [Fact]
    public async Task Create_ValidBody_Returns201WithEveryPaymentField()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var body = Payments.Body(amount: "10.50", orderId: "order-123", metadata: new Dictionary<string, string> { ["k"] = "v" });

        var response = await sim.PostPaymentAsync(body);

        response.Status.ShouldBe(201, response.Body);
        response.ShouldHaveRequestId();
        response.Header("content-type")!.ShouldStartWith("application/json");
        var payment = response.Json;
        foreach (var field in PaymentFields)
        {
            payment.TryGetProperty(field, out _).ShouldBeTrue($"missing '{field}' in {response.Body}");
        }

        payment.Str("id")!.ShouldStartWith("pay_");
        payment.Str("status").ShouldBe("pending");
        payment.Prop("amount").ValueKind.ShouldBe(JsonValueKind.String);
        payment.Str("amount").ShouldBe("10.50");
        payment.Str("currency").ShouldBe("USDT");
        payment.Str("network").ShouldBe("example-network");
        payment.Str("orderId").ShouldBe("order-123");
        payment.Prop("metadata").Str("k").ShouldBe("v");
        payment.Str("address").ShouldNotBeNullOrWhiteSpace();
        var statusUrl = payment.Str("statusUrl");
        statusUrl.ShouldNotBeNullOrWhiteSpace();
        Uri.IsWellFormedUriString(statusUrl, UriKind.Absolute).ShouldBeTrue(statusUrl);
        statusUrl.ShouldNotContain(sim.TestApiKey);
        payment.Str("amountReceived").ShouldBeNull();
        payment.Prop("confirmations").ValueKind.ShouldBe(JsonValueKind.Null);
        payment.Str("txHash").ShouldBeNull();
        payment.Time("createdAt").ShouldBe(Sim.Start);
        payment.Time("updatedAt").ShouldBe(Sim.Start);
        payment.Time("expiresAt").ShouldBe(Sim.Start.AddSeconds(900));
        payment.Str("paidAt").ShouldBeNull();
        payment.Str("confirmedAt").ShouldBeNull();
        payment.Str("expiredAt").ShouldBeNull();
        sim.PaymentCount.ShouldBe(1);
    }

    [Fact]
    public async Task Create_Timestamps_AreRfc3339Utc()
    {
        await using var sim = await SimulatorSession.StartAsync();

        var payment = await sim.CreatePaymentJsonAsync();

        foreach (var field in new[] { "createdAt", "updatedAt", "expiresAt" })
        {
            var text = payment.Str(field)!;
            text.ShouldEndWith("Z", customMessage: field);
            text.ShouldStartWith("2026-11-21T", customMessage: field);
        }
    }

    [Fact]
    public async Task Create_KeepsThePaymentInTheSimulator()
    {
        await using var sim = await SimulatorSession.StartAsync();

        var payment = await sim.CreatePaymentJsonAsync(Payments.Body(amount: "25", orderId: "order-9"));

        var held = sim.GetPayment(payment.Str("id")!);
        held.Status.ShouldBe("pending");
        held.Amount.ShouldBe(25m);
        held.OrderId.ShouldBe("order-9");
        held.Environment.ShouldBe("test");
        held.LastSequence.ShouldBe(1);
        held.AmountReceived.ShouldBeNull();
    }

    [Fact]
    public async Task Create_CurrencyAndNetworkInOtherCase_CarryTheConfiguredSpelling()
    {
        await using var sim = await SimulatorSession.StartAsync();

        var payment = await sim.CreatePaymentJsonAsync(Payments.Body(currency: "usdt", network: "EXAMPLE-Network"));

        payment.Str("currency").ShouldBe("USDT");
        payment.Str("network").ShouldBe("example-network");
    }

    [Theory]
    [MemberData(nameof(Payments.DefaultRails), MemberType = typeof(Payments))]
    public async Task Create_EveryDefaultRail_AcceptsItsSmallestUnit_OnALargeAmount(string network, string currency, int decimals)
    {
        await using var sim = await SimulatorSession.StartAsync();
        var amount = Payments.AmountWithDecimals("123456789", decimals);

        var payment = await sim.CreatePaymentJsonAsync(Payments.Body(amount: amount, currency: currency, network: network));

        payment.Dec("amount").ShouldBe(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture));
        payment.Str("currency").ShouldBe(currency);
    }

    [Theory]
    [InlineData(60)]
    [InlineData(3600)]
    [InlineData(604800)]
    public async Task Create_ExpiresInSecondsWithinRange_SetsExpiresAt(int seconds)
    {
        await using var sim = await SimulatorSession.StartAsync();

        var payment = await sim.CreatePaymentJsonAsync(Payments.Body(expiresInSeconds: seconds));

        payment.Time("expiresAt").ShouldBe(Sim.Start.AddSeconds(seconds));
    }

    [Fact]
    public async Task Create_UnknownJsonFields_AreIgnored()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var body = Payments.BodyObject();
        body["somethingNew"] = "x";
        body["nested"] = new System.Text.Json.Nodes.JsonObject { ["a"] = 1 };

        var payment = await sim.CreatePaymentJsonAsync(body.ToJsonString());

        payment.Str("status").ShouldBe("pending");
        sim.PaymentCount.ShouldBe(1);
    }

    [Fact]
    public async Task Create_TwoPayments_GetDistinctIdsAndAddresses()
    {
        await using var sim = await SimulatorSession.StartAsync();

        var first = await sim.CreatePaymentJsonAsync();
        var second = await sim.CreatePaymentJsonAsync();

        first.Str("id").ShouldNotBe(second.Str("id"));
        sim.PaymentCount.ShouldBe(2);
    }

    [Fact]
    public async Task Create_WithoutMetadata_IsAccepted()
    {
        await using var sim = await SimulatorSession.StartAsync();

        var response = await sim.PostPaymentAsync("""{"amount":"1","currency":"USDT","network":"example-network","orderId":"o-1"}""");

        response.Status.ShouldBe(201, response.Body);
        response.Json.Str("amount").ShouldNotBeNull();
        response.Json.Time("expiresAt").ShouldBe(Sim.Start.AddMinutes(15));
    }

    [Fact]
    public async Task Create_ContentTypeWithCharset_IsAccepted()
    {
        await using var sim = await SimulatorSession.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, Payments.Path)
        {
            Content = new StringContent(Payments.Body(), System.Text.Encoding.UTF8, "application/json"),
        };

        var response = await sim.Api.SendApiAsync(request, Sim.Ct);

        response.Status.ShouldBe(201, response.Body);
    }
}
