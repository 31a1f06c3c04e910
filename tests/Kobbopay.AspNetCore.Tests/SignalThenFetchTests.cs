using System.Text;
using Kobbopay.Sdk;
using Kobbopay.Simulator;

namespace Kobbopay.AspNetCore.Tests;

/// <summary>
/// <c>FetchPaymentBeforeHandling</c>: the webhook is a signal; the handler gets the payment as the API (the in-process
/// simulator) has it, beside the event's claim, and never only the claim.
/// </summary>
public sealed class SignalThenFetchTests
{
    [Fact]
    public async Task A_claim_the_gateway_contradicts_reaches_the_handler_with_the_authoritative_payment()
    {
        await using KobbopaySimulator gateway = await KobbopaySimulator.StartAsync(cancellationToken: WebhookApp.Ct);
        string paymentId = await CreatePendingPaymentAsync(gateway);
        HandlerCalls calls = new();
        await using WebhookApp app = await StartAsync(calls, gateway.BaseAddress, gateway.TestApiKey);

        ApiResponse answer = await app.PostSignedAsync(ConfirmedClaim(paymentId, "evt_claim"));

        Assert.Equal(200, answer.Status);
        KobbopayWebhookContext seen = Assert.Single(calls.Calls).Context;
        Assert.Equal((PaymentStatus.Confirmed, PaymentStatus.Pending), (seen.Event.Payment!.Status, seen.Payment!.Status));
        Assert.Equal(paymentId, seen.Payment.Id);
    }

    [Fact]
    public async Task An_unreachable_gateway_is_answered_503_and_the_handler_runs_only_once_the_payment_can_be_read()
    {
        await using KobbopaySimulator gateway = await KobbopaySimulator.StartAsync(cancellationToken: WebhookApp.Ct);
        string paymentId = await CreatePendingPaymentAsync(gateway);
        HandlerCalls calls = new();
        Uri closed = new("http://127.0.0.1:9/"); // discard port: nothing listens
        await using WebhookApp unreachable = await StartAsync(calls, closed, gateway.TestApiKey);
        byte[] claim = ConfirmedClaim(paymentId, "evt_retry");

        ApiResponse refused = await unreachable.PostSignedAsync(claim);
        await using WebhookApp reachable = await StartAsync(calls, gateway.BaseAddress, gateway.TestApiKey);
        ApiResponse retried = await reachable.PostSignedAsync(claim);

        Assert.Equal((503, """{"status":"unavailable"}"""), (refused.Status, refused.Body));
        Assert.Equal(200, retried.Status);
        Assert.Equal(PaymentStatus.Pending, Assert.Single(calls.Calls).Context.Payment!.Status);
        Assert.Contains(unreachable.Logs.GetSnapshot(), r => r.Id.Id == 210 && r.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task Without_a_payment_reader_the_endpoint_refuses_to_start_naming_the_setting()
    {
        Dictionary<string, string?> settings = WebhookApp.DefaultSettings();
        settings["Kobbopay:Webhooks:FetchPaymentBeforeHandling"] = "true";
        await using WebhookApp app = await WebhookApp.StartAsync(new HandlerCalls(), settings: settings);

        InvalidOperationException refused = Assert.Throws<InvalidOperationException>(() => app.Services.GetRequiredService<Internal.KobbopayWebhookEndpoint>());

        Assert.StartsWith("Kobbopay:Webhooks:FetchPaymentBeforeHandling is on, but no IKobbopayPaymentReader is registered", refused.Message, StringComparison.Ordinal);
    }

    private static Task<WebhookApp> StartAsync(HandlerCalls calls, Uri gateway, string apiKey)
    {
        Dictionary<string, string?> settings = WebhookApp.DefaultSettings();
        settings["Kobbopay:Webhooks:FetchPaymentBeforeHandling"] = "true";
        return WebhookApp.StartAsync(
            w => w.AddHandler<CatchAllHandler>(),
            settings,
            services: s => s.AddSingleton(calls).AddScoped<ScopeMarker>().AddKobbopayClient(o =>
            {
                o.BaseAddress = gateway;
                o.ApiKey = apiKey;
                o.Resilience.MaxRetryAttempts = 0;
            }));
    }

    private static async Task<string> CreatePendingPaymentAsync(KobbopaySimulator gateway)
    {
        KobbopayClient client = KobbopayClient.Create(new KobbopayClientOptions { BaseAddress = gateway.BaseAddress, ApiKey = gateway.TestApiKey });
        Payment payment = await client.CreatePaymentAsync(
            new CreatePaymentRequest { Amount = 10.50m, Currency = "USDT", Network = "example-network", OrderId = "order-signal" }, cancellationToken: WebhookApp.Ct);
        return payment.Id;
    }

    /// <summary>A validly signed event that claims the payment is confirmed.</summary>
    private static byte[] ConfirmedClaim(string paymentId, string eventId) =>
        Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Payloads.Event(eventId, "payment.confirmed", paymentId, sequence: 3)).Replace("\"status\":\"paid\"", "\"status\":\"confirmed\"", StringComparison.Ordinal));
}
