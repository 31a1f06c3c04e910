using System.Text.Json;

namespace Kobbopay.Webhooks.Tests.Events;

public sealed class WebhookEventParserTests
{
    [Fact]
    public void Parse_reads_the_contract_envelope()
    {
        PaymentEvent e = WebhookEventParser.Parse(EventJson.Create());

        e.Id.ShouldBe("evt_1");
        e.Type.ShouldBe(PaymentEventType.Paid);
        e.PaymentId.ShouldBe("pay_1");
        e.Sequence.ShouldBe(2);
        e.PreviousStatus.ShouldBe(PaymentStatus.Pending);
        e.CreatedAt.ShouldBe(new DateTimeOffset(2026, 1, 1, 0, 5, 0, TimeSpan.Zero));
        e.Payment.ShouldNotBeNull();
        e.Payment.Status.ShouldBe(PaymentStatus.Paid);
        e.Payment.Amount.ShouldBe(10.50m);
    }

    [Fact]
    public void Unknown_event_type_and_status_are_kept()
    {
        PaymentEvent e = WebhookEventParser.Parse(EventJson.Create(type: "payment.refunded", status: "refunded"));

        e.Type.Value.ShouldBe("payment.refunded");
        e.Payment!.Status.Value.ShouldBe("refunded");
    }

    [Fact]
    public void Unknown_fields_are_kept_at_every_level()
    {
        string json = EventJson.CreateText()
            .Replace("\"id\":\"evt_1\"", "\"id\":\"evt_1\",\"livemode\":false,\"attempt\":{\"n\":3}", StringComparison.Ordinal)
            .Replace("\"data\":{", "\"data\":{\"source\":\"chain\",", StringComparison.Ordinal)
            .Replace("\"orderId\":\"order-1\"", "\"orderId\":\"order-1\",\"riskScore\":\"low\"", StringComparison.Ordinal);

        PaymentEvent e = WebhookEventParser.Parse(Encoding.UTF8.GetBytes(json));

        e.AdditionalProperties.ShouldNotBeNull();
        e.AdditionalProperties["livemode"].ValueKind.ShouldBe(JsonValueKind.False);
        e.AdditionalProperties["attempt"].GetProperty("n").GetInt32().ShouldBe(3);
        e.Data!.AdditionalProperties.ShouldNotBeNull();
        e.Data.AdditionalProperties["source"].GetString().ShouldBe("chain");
        e.Payment!.AdditionalProperties.ShouldNotBeNull();
        e.Payment.AdditionalProperties["riskScore"].GetString().ShouldBe("low");
    }

    [Fact]
    public void TryParse_succeeds_without_an_error_on_a_valid_body()
    {
        WebhookEventParser.TryParse(EventJson.Create(), out PaymentEvent? e, out string? error).ShouldBeTrue();

        e.ShouldNotBeNull();
        e.Id.ShouldBe("evt_1");
        error.ShouldBeNull();
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("<xml/>")]
    [InlineData("{\"id\":\"evt_1\",")]
    [InlineData("")]
    public void TryParse_rejects_a_body_that_is_not_json_with_an_error(string body)
    {
        WebhookEventParser.TryParse(Encoding.UTF8.GetBytes(body), out PaymentEvent? e, out string? error).ShouldBeFalse();

        e.ShouldBeNull();
        error.ShouldNotBeNullOrWhiteSpace();
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("42")]
    public void TryParse_rejects_json_that_is_not_an_event_object(string body)
    {
        WebhookEventParser.TryParse(Encoding.UTF8.GetBytes(body), out PaymentEvent? e, out string? error).ShouldBeFalse();

        e.ShouldBeNull();
        error.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public void TryParse_rejects_bytes_that_are_not_utf8()
    {
        WebhookEventParser.TryParse([0xFF, 0xFE, 0x00, 0x7B], out _, out string? error).ShouldBeFalse();

        error.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public void Parse_throws_a_clear_error_on_a_body_that_is_not_json()
    {
        Exception e = Assert.ThrowsAny<Exception>(() => WebhookEventParser.Parse("not json"u8));

        (e is JsonException or FormatException or InvalidOperationException or ArgumentException).ShouldBeTrue($"unexpected exception type {e.GetType()}");
        e.Message.ShouldNotBeNullOrWhiteSpace();
    }
}
