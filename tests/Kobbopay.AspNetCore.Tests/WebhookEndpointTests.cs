using System.Text;
using Kobbopay.Sdk;
using Microsoft.AspNetCore.Http;
using static Kobbopay.AspNetCore.Tests.TestSupport.Payloads;
using static Kobbopay.AspNetCore.Tests.TestSupport.WebhookApp;

namespace Kobbopay.AspNetCore.Tests;

/// <summary>Every answer of the endpoint, over real HTTP.</summary>
public sealed class WebhookEndpointTests
{
    private const int DefaultCap = 256 * 1024;

    [Fact]
    public async Task ASignedEvent_IsHandledOnce_AndAnswered200()
    {
        HandlerCalls calls = new();
        await using WebhookApp app = await WebhookApp.StartAsync(calls);
        byte[] body = Event("evt_ok", paymentId: "pay_1");

        ApiResponse response = await app.PostSignedAsync(body, deliveryId: "dlv_first");

        response.ToString().ShouldBe(WebhookApp.Answer(200, "processed"));
        response.Header("content-type").ShouldBe("application/json");
        calls.Counts["evt_ok"].ShouldBe(1);
        (string _, KobbopayWebhookContext context, ScopeMarker _) = calls.Calls.ShouldHaveSingleItem();
        context.Event.Id.ShouldBe("evt_ok");
        context.Event.Type.ShouldBe(PaymentEventType.Paid);
        context.Event.PaymentId.ShouldBe("pay_1");
        context.DedupeKey.ShouldBe("evt_ok");
        context.DeliveryId.ShouldBe("dlv_first");
        calls.RequestPaths.ShouldBe([WebhookPath]);
        calls.MinBodyDataRates.ShouldHaveSingleItem().ShouldBe(240, "Kestrel's minimum body data rate stays on (its default, 240 bytes/s)");
    }

    [Fact]
    public async Task ARedelivery_IsAnswered200Duplicate_WithoutRunningTheHandlerAgain()
    {
        HandlerCalls calls = new();
        await using WebhookApp app = await WebhookApp.StartAsync(calls);
        byte[] body = Event("evt_dup");

        (await app.DeliverAsync(body, times: 3)).ShouldBe([WebhookApp.Answer(200, "processed"), WebhookApp.Answer(200, "duplicate"), WebhookApp.Answer(200, "duplicate")]);
        calls.Counts["evt_dup"].ShouldBe(1);
    }

    [Fact]
    public async Task AMissingOrWrongSignature_Is401_AndTheBodyNeverSaysWhy()
    {
        HandlerCalls calls = new();
        await using WebhookApp app = await WebhookApp.StartAsync(calls);
        byte[] body = Event("evt_forged");
        string wrong = HmacSha256HexSignatureScheme.ComputeSignature(body, "not-the-secret");

        ApiResponse missing = await app.PostAsync(body, headers: null);
        ApiResponse forged = await app.PostAsync(body, [new("x-signature", wrong)]);
        ApiResponse garbage = await app.PostAsync(body, [new("x-signature", "zz-not-hex")]);
        ApiResponse otherBody = await app.PostAsync(body, Sign(Event("evt_other")));

        foreach (ApiResponse response in new[] { missing, forged, garbage, otherBody })
        {
            response.ToString().ShouldBe(WebhookApp.Answer(401, "unauthorized"));
        }

        calls.Counts.ShouldBeEmpty();
    }

    [Fact]
    public async Task AForgedBodyOfInvalidJson_Is401_NotParsedBeforeVerification()
    {
        HandlerCalls calls = new();
        await using WebhookApp app = await WebhookApp.StartAsync(calls);
        byte[] body = "{not json"u8.ToArray();

        ApiResponse response = await app.PostAsync(body, [new("x-signature", HmacSha256HexSignatureScheme.ComputeSignature(body, "attacker-secret"))]);

        response.Status.ShouldBe(401);
        response.Body.ShouldNotContain("json", Case.Insensitive);
        calls.Counts.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[]")]
    [InlineData("""{"id":"evt_x","type":"payment.paid"}""")]
    public async Task ASignedBodyThatIsNotAnEvent_Is400_AndNotEchoed(string json)
    {
        HandlerCalls calls = new();
        await using WebhookApp app = await WebhookApp.StartAsync(calls);
        byte[] body = Encoding.UTF8.GetBytes(json);

        ApiResponse response = await app.PostSignedAsync(body);

        response.ToString().ShouldBe(WebhookApp.Answer(400, "malformed"));
        calls.Counts.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/json; charset=utf-16")]
    [InlineData(null)]
    public async Task AContentTypeOtherThanJson_Is415(string? contentType)
    {
        HandlerCalls calls = new();
        await using WebhookApp app = await WebhookApp.StartAsync(calls);
        byte[] body = Event("evt_type");

        ApiResponse response = await app.PostAsync(body, Sign(body), contentType: contentType);

        response.ToString().ShouldBe(WebhookApp.Answer(415, "unsupported_media_type"));
        calls.Counts.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON")]
    public async Task JsonWithUtf8OrAnyCase_IsAccepted(string contentType)
    {
        HandlerCalls calls = new();
        await using WebhookApp app = await WebhookApp.StartAsync(calls);
        byte[] body = Event("evt_charset");

        ApiResponse response = await app.PostAsync(body, Sign(body), contentType: contentType);

        response.Status.ShouldBe(200);
    }

    [Theory]
    [InlineData(DefaultCap - 1, false, 200)]
    [InlineData(DefaultCap, false, 200)]
    [InlineData(DefaultCap + 1, false, 413)]
    [InlineData(DefaultCap - 1, true, 200)]
    [InlineData(DefaultCap, true, 200)]
    [InlineData(DefaultCap + 1, true, 413)]
    public async Task TheBodyCap_AcceptsUpToTheDefault256KiB_AndRefusesOneByteMore(int size, bool chunked, int expected)
    {
        HandlerCalls calls = new();
        await using WebhookApp app = await WebhookApp.StartAsync(calls);
        string id = $"evt_size_{size}_{chunked}";
        byte[] body = Event(id, totalBytes: size);

        ApiResponse response = await app.PostAsync(body, Sign(body), chunked: chunked);

        response.Status.ShouldBe(expected);
        if (expected == 413)
        {
            response.Body.ShouldBe("""{"status":"too_large"}""");
            calls.Counts.ShouldBeEmpty();
        }
        else
        {
            calls.Counts[id].ShouldBe(1);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AConfiguredCap_IsEnforced_WithOrWithoutContentLength(bool chunked)
    {
        HandlerCalls calls = new();
        Dictionary<string, string?> settings = DefaultSettings();
        settings["Kobbopay:Webhooks:MaxBodyBytes"] = "1024";
        await using WebhookApp app = await WebhookApp.StartAsync(calls, settings: settings);

        byte[] atCap = Event("evt_at", totalBytes: 1024);
        byte[] over = Event("evt_over", totalBytes: 1025);

        (await app.PostAsync(atCap, Sign(atCap), chunked: chunked)).Status.ShouldBe(200);
        (await app.PostAsync(over, Sign(over), chunked: chunked)).Status.ShouldBe(413);
        calls.Counts.Keys.ShouldBe(["evt_at"]);
    }

    [Fact]
    public async Task AHandlerFailure_Is500_TheRedeliveryRunsItAgain_AndLaterDeliveriesAreDuplicates()
    {
        HandlerCalls calls = new() { Behavior = (_, count, _) => count == 1 ? throw new InvalidOperationException("first attempt fails") : Task.CompletedTask };
        await using WebhookApp app = await WebhookApp.StartAsync(calls);
        byte[] body = Event("evt_retry");

        string[] answers = await app.DeliverAsync(body, times: 4);

        answers.ShouldBe([WebhookApp.Answer(500, "failed"), WebhookApp.Answer(200, "processed"), WebhookApp.Answer(200, "duplicate"), WebhookApp.Answer(200, "duplicate")]);
        answers[0].ShouldNotContain("first attempt");
        calls.Counts["evt_retry"].ShouldBe(2);
    }

    [Fact]
    public async Task AnUnavailableStore_Is503_AndNothingRuns()
    {
        HandlerCalls calls = new();
        await using WebhookApp app = await WebhookApp.StartAsync(calls, w => w.AddHandler<CatchAllHandler>().UseEventStore(_ => new UnavailableStore()));
        byte[] body = Event("evt_store");

        ApiResponse response = await app.PostSignedAsync(body);

        response.ToString().ShouldBe(WebhookApp.Answer(503, "unavailable"));
        response.Body.ShouldNotContain("connection refused");
        calls.Counts.ShouldBeEmpty();
    }

    [Fact]
    public async Task TypedHandlers_RunForTheirTypeOnly_AndCatchAllOnesForEveryType_InOneScopePerDelivery()
    {
        HandlerCalls calls = new();
        await using WebhookApp app = await WebhookApp.StartAsync(calls, w => w.AddHandler<PaidHandler>(PaymentEventType.Paid).AddHandler<CatchAllHandler>());

        (await app.PostSignedAsync(Event("evt_paid", "payment.paid"))).Status.ShouldBe(200);
        (await app.PostSignedAsync(Event("evt_confirmed", "payment.confirmed", sequence: 3))).Status.ShouldBe(200);
        (await app.PostSignedAsync(Event("evt_future", "payment.refunded", sequence: 4))).Status.ShouldBe(200);

        var calls3 = calls.Calls.ToArray();
        calls3.Select(c => (c.Handler, c.Context.Event.Id)).ShouldBe(
        [
            (nameof(PaidHandler), "evt_paid"),
            (nameof(CatchAllHandler), "evt_paid"),
            (nameof(CatchAllHandler), "evt_confirmed"),
            (nameof(CatchAllHandler), "evt_future"),
        ]);
        calls3[0].Scope.ShouldBeSameAs(calls3[1].Scope);
        calls3[2].Scope.ShouldNotBeSameAs(calls3[1].Scope);
        calls3[3].Context.Event.Type.Value.ShouldBe("payment.refunded");
    }

    [Fact]
    public async Task AnEventWithoutAnId_IsDeduplicatedOnPaymentTypeAndSequence()
    {
        HandlerCalls calls = new();
        await using WebhookApp app = await WebhookApp.StartAsync(calls);
        byte[] body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Event("evt_gone", paymentId: "pay_1", sequence: 7)).Replace("\"id\":\"evt_gone\",", string.Empty, StringComparison.Ordinal));

        (await app.PostSignedAsync(body)).Body.ShouldBe("""{"status":"processed"}""");
        (await app.PostSignedAsync(body)).Body.ShouldBe("""{"status":"duplicate"}""");

        calls.Calls.ShouldHaveSingleItem().Context.DedupeKey.ShouldBe("pay_1:payment.paid:seq-7");
    }

    [Fact]
    public async Task BodyReadingMiddlewareBeforeTheEndpoint_DoesNotBreakVerification()
    {
        HandlerCalls calls = new();
        await using WebhookApp app = await WebhookApp.StartAsync(calls, middleware: web => web.Use(async (context, next) =>
        {
            context.Request.EnableBuffering();
            using StreamReader reader = new(context.Request.Body, Encoding.UTF8, leaveOpen: true);
            _ = await reader.ReadToEndAsync(context.RequestAborted);
            await next(context);
        }));
        byte[] body = Event("evt_buffered");

        ApiResponse response = await app.PostSignedAsync(body);

        response.Status.ShouldBe(200);
        calls.Counts["evt_buffered"].ShouldBe(1);
    }

    [Fact]
    public async Task OtherMethods_AreNotMapped()
    {
        HandlerCalls calls = new();
        await using WebhookApp app = await WebhookApp.StartAsync(calls);

        using HttpResponseMessage response = await app.Client.GetAsync(WebhookPath, Ct);

        ((int)response.StatusCode).ShouldBe(405);
    }

    [Fact]
    public void MappingWithoutRegistering_Throws_WithTheFix()
    {
        WebApplication app = WebApplication.CreateSlimBuilder().Build();

        InvalidOperationException ex = Should.Throw<InvalidOperationException>(() => app.MapKobbopayWebhooks());

        ex.Message.ShouldContain("AddKobbopayWebhooks");
    }

    private sealed class UnavailableStore : IWebhookEventStore
    {
        public ValueTask<WebhookBeginResult> TryBeginAsync(string key, TimeSpan lease, CancellationToken cancellationToken = default) =>
            ValueTask.FromException<WebhookBeginResult>(new IOException("connection refused"));

        public ValueTask<bool> CompleteAsync(string key, Guid leaseId, CancellationToken cancellationToken = default) => throw new IOException("connection refused");

        public ValueTask<bool> AbandonAsync(string key, Guid leaseId, CancellationToken cancellationToken = default) => throw new IOException("connection refused");

        public ValueTask<int> PurgeAsync(DateTimeOffset completedBefore, CancellationToken cancellationToken = default) => throw new IOException("connection refused");
    }
}
