using System.Text;
using static Kobbopay.AspNetCore.Tests.TestSupport.Payloads;

namespace Kobbopay.AspNetCore.Tests;

/// <summary>The merchant's own endpoint, verified by each shape, over real HTTP: the guarantees of <c>MapKobbopayWebhooks</c>.</summary>
public sealed class VerificationShapeTests
{
    public static TheoryData<VerificationShape> Shapes => [VerificationShape.EndpointConvention, VerificationShape.GroupConvention, VerificationShape.MvcAttribute, VerificationShape.Middleware];

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task AValidDelivery_RunsUserCodeOnce_WithTheVerifiedEventAndItsOwnBodyModel(VerificationShape shape)
    {
        HandlerCalls calls = new();
        await using WebhookApp app = await ShapeApp.StartAsync(shape, calls);

        ApiResponse response = await app.PostSignedAsync(Event("evt_ok"), deliveryId: "dlv_own");

        response.ToString().ShouldBe("200 handled evt_ok evt_ok payment.paid");
        calls.Counts["evt_ok"].ShouldBe(1);
        KobbopayWebhookContext context = calls.Calls.ShouldHaveSingleItem().Context;
        context.DeliveryId.ShouldBe("dlv_own");
        context.DedupeKey.ShouldBe("evt_ok");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task ADuplicate_IsAnswered200Duplicate_WithoutRunningUserCodeAgain(VerificationShape shape)
    {
        HandlerCalls calls = new();
        await using WebhookApp app = await ShapeApp.StartAsync(shape, calls);

        (await app.DeliverAsync(Event("evt_dup"), times: 3)).ShouldBe(["200 handled evt_dup evt_dup payment.paid", WebhookApp.Answer(200, "duplicate"), WebhookApp.Answer(200, "duplicate")]);
        calls.Counts["evt_dup"].ShouldBe(1);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task AForgedOrTamperedDelivery_Is401_AndUserCodeNeverRuns(VerificationShape shape)
    {
        HandlerCalls calls = new();
        await using WebhookApp app = await ShapeApp.StartAsync(shape, calls);
        byte[] body = Event("evt_forged");

        // The tampered body binds to the same model as the signed one: only the bytes on the wire differ.
        byte[] tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("\"type\":", "\"type\": ", StringComparison.Ordinal));
        ApiResponse[] responses =
        [
            await app.PostAsync(body, headers: null),
            await app.PostAsync(body, [new("x-signature", HmacSha256HexSignatureScheme.ComputeSignature(body, "not-the-secret"))]),
            await app.PostAsync(tampered, Sign(body)),
        ];

        responses.Select(r => r.ToString()).ShouldAllBe(answer => answer == WebhookApp.Answer(401, "unauthorized"));
        calls.Counts.ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task ABodyOverTheCap_Is413_WithOrWithoutContentLength_AndUserCodeNeverRuns(VerificationShape shape)
    {
        HandlerCalls calls = new();
        Dictionary<string, string?> settings = WebhookApp.DefaultSettings();
        settings["Kobbopay:Webhooks:MaxBodyBytes"] = "1024";
        await using WebhookApp app = await ShapeApp.StartAsync(shape, calls, settings);
        byte[] over = Event("evt_big", totalBytes: 1025);

        (await app.PostAsync(over, Sign(over))).ToString().ShouldBe(WebhookApp.Answer(413, "too_large"));
        (await app.PostAsync(over, Sign(over), chunked: true)).ToString().ShouldBe(WebhookApp.Answer(413, "too_large"));
        calls.Counts.ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task UserCodeThatThrows_IsAnswered500_AndTheRedeliveryRunsItAgain(VerificationShape shape)
    {
        HandlerCalls calls = new() { Behavior = (_, count, _) => count == 1 ? throw new InvalidOperationException("the order database is down") : Task.CompletedTask };
        await using WebhookApp app = await ShapeApp.StartAsync(shape, calls);

        (await app.DeliverAsync(Event("evt_retry"), times: 3)).ShouldBe([WebhookApp.Answer(500, "failed"), "200 handled evt_retry evt_retry payment.paid", WebhookApp.Answer(200, "duplicate")]);
        calls.Counts["evt_retry"].ShouldBe(2);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task UserCodeThatAnswersOutside2xx_KeepsItsAnswer_AndLeavesTheEventOpen(VerificationShape shape)
    {
        HandlerCalls calls = new()
        {
            Behavior = (context, count, _) =>
            {
                context.HttpContext.Response.StatusCode = count == 1 ? 422 : 200;
                return Task.CompletedTask;
            },
        };
        await using WebhookApp app = await ShapeApp.StartAsync(shape, calls);

        (await app.DeliverAsync(Event("evt_422"), times: 2)).ShouldBe(["422 handled evt_422 evt_422 payment.paid", "200 handled evt_422 evt_422 payment.paid"]);
        calls.Counts["evt_422"].ShouldBe(2);
    }

    [Fact]
    public async Task TheMiddleware_LeavesPathsOutsideItsPrefixAlone()
    {
        HandlerCalls calls = new();
        await using WebhookApp app = await WebhookApp.StartAsync(
            webhooks: null,
            middleware: web =>
            {
                web.UseKobbopayWebhookVerification("/webhook");
                web.MapPost("/webhooks-elsewhere", () => "not verified");
            },
            mapWebhooks: false);

        using HttpResponseMessage response = await app.Client.PostAsync("/webhooks-elsewhere", new StringContent("{}"), WebhookApp.Ct);

        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync(WebhookApp.Ct)).ShouldBe("not verified");
    }

    [Fact]
    public async Task AnEndpointBindingTheEventWithoutVerification_FailsInsteadOfBindingAnything()
    {
        await using WebhookApp app = await WebhookApp.StartAsync(
            webhooks: null,
            middleware: web => web.MapPost(WebhookApp.WebhookPath, (KobbopayWebhookContext hook) => hook.Event.Id),
            mapWebhooks: false);
        byte[] body = Event("evt_unverified");

        (await app.PostAsync(body, Sign(body))).Status.ShouldBe(500);
        app.Logs.GetSnapshot().ShouldContain(r => r.Exception is InvalidOperationException && r.Exception.Message.Contains("RequireKobbopaySignature", StringComparison.Ordinal));
    }
}
