using System.CommandLine;
using Kobbopay.Simulator.Commands;
using Kobbopay.Webhooks;

namespace Kobbopay.Simulator.Tests.Commands;

/// <summary><c>kobbopay-sim trigger</c>: each event type emitted, delivered, and reported with the endpoint's answer.</summary>
public sealed class TriggerCommandTests
{
    [Fact]
    public async Task PaymentPaid_InProcess_ForwardedToAReceiver_PrintsTheDeliveryAnd200()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var scheme = new HmacSha256HexSignatureScheme([TriggerCommand.DevelopmentSecret]);
        receiver.Answer = r => Task.FromResult(scheme.Verify(r.Body.AsSpan(), new WebhookHeaders(r.Headers)).IsValid ? Results.Ok() : Results.StatusCode(400));

        var (code, output, error) = await TriggerAsync("payment.paid", "--in-process", "--forward-to", receiver.Url.ToString());

        code.ShouldBe(0, output + error);
        var paid = receiver.Requests.Single(r => Type(r) == "payment.paid");
        output.ShouldContain($"Sent payment.paid {paid.Header("x-event-id")} (payment {Json(paid).GetProperty("paymentId").GetString()})");
        output.ShouldContain($"  -> {receiver.Url}  delivery dlv_");
        output.ShouldContain($"attempt 1 ({paid.Header("x-delivery-id")}): 200 in ");
        output.ShouldContain("\"type\": \"payment.paid\"", Case.Sensitive, "the body sent is printed");
        output.ShouldContain("Trigger succeeded");
        output.ShouldNotContain(KobbopaySimulatorOptions.DefaultTestApiKey);
    }

    [Theory]
    [InlineData("payment.created", "pending")]
    [InlineData("payment.updated", "pending")]
    [InlineData("payment.paid", "paid")]
    [InlineData("payment.confirmed", "confirmed")]
    [InlineData("payment.expired", "expired")]
    [InlineData("payment.late_payment", "expired")]
    public async Task EachEventType_IsEmitted_AndDeliveredToTheEndpoint(string type, string status)
    {
        await using var receiver = await WebhookReceiver.StartAsync();

        var (code, output, error) = await TriggerAsync(type, "--in-process", "--forward-to", receiver.Url.ToString());

        code.ShouldBe(0, output + error);
        var received = receiver.Requests.Where(r => Type(r) == type).ShouldHaveSingleItem();
        Json(received).GetProperty("data").GetProperty("payment").GetProperty("status").GetString().ShouldBe(status);
    }

    [Fact]
    public async Task AgainstARunningSimulator_DeliversToItsEndpoints_AndLeavesNoTemporaryEndpoint()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var forwarded = await WebhookReceiver.StartAsync();
        await using var sim = await KobbopaySimulator.StartAsync(new KobbopaySimulatorOptions { ClockMode = SimulatorClockMode.Wall }, Sim.Ct);
        sim.AddWebhookEndpoint(receiver.Url, "whsk_registered");

        var (code, output, error) = await TriggerAsync("payment.confirmed", "--simulator", sim.BaseAddress.ToString(), "--forward-to", forwarded.Url.ToString(), "--webhook-secret", "whsk_forwarded");

        code.ShouldBe(0, output + error);
        receiver.Requests.Select(Type).ShouldContain("payment.confirmed");
        forwarded.Requests.Select(Type).ShouldContain("payment.confirmed");
        var confirmed = forwarded.Requests.Single(r => Type(r) == "payment.confirmed");
        new HmacSha256HexSignatureScheme(["whsk_forwarded"]).Verify(confirmed.Body.AsSpan(), new WebhookHeaders(confirmed.Headers)).IsValid.ShouldBeTrue();
        output.ShouldContain($"  -> {receiver.Url}  delivery dlv_");
        output.ShouldContain($"  -> {forwarded.Url}  delivery dlv_");
        sim.WebhookEndpoints.ShouldHaveSingleItem().Url.ShouldBe(receiver.Url, "the --forward-to endpoint is removed afterwards");
    }

    [Fact]
    public async Task AnEndpointAnsweringAnError_FailsTheTrigger_WithItsStatus()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = WebhookSetup.Always(500);

        var (code, output, _) = await TriggerAsync("payment.created", "--in-process", "--forward-to", receiver.Url.ToString());

        code.ShouldBe(1);
        output.ShouldContain("attempt 1 (dla_");
        output.ShouldContain("): 500 in ");
        output.ShouldContain("Trigger failed");
    }

    [Fact]
    public async Task AnUnknownEventType_ListsTheKnownOnes()
    {
        var (code, _, error) = await TriggerAsync("payment.refunded", "--in-process");

        code.ShouldBe(2);
        error.ShouldContain("Unknown event type 'payment.refunded'. The simulator emits: payment.created, payment.updated, payment.paid, payment.confirmed, payment.expired, payment.late_payment.");
    }

    [Fact]
    public async Task NoSimulatorAtTheAddress_ExitsWith3_AndSaysHowToStartOne()
    {
        await using var stopped = await KobbopaySimulator.StartAsync(Sim.Options(), Sim.Ct);
        string address = stopped.BaseAddress.ToString();
        await stopped.DisposeAsync();

        var (code, _, error) = await TriggerAsync("payment.paid", "--simulator", address);

        code.ShouldBe(3);
        error.ShouldContain($"No simulator answers at {address}");
        error.ShouldContain("or pass --in-process");
    }

    [Fact]
    public async Task ADuplicatedAttempt_WhoseCopyIsRefusedAsInFlight_StillCountsAsDelivered()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        HashSet<string> seen = [];
        receiver.Answer = r =>
        {
            // What a merchant endpoint answers a copy of an event it is already handling: 409, so the sender retries.
            lock (seen)
            {
                return Task.FromResult(seen.Add(r.Header("x-event-id")) ? Results.Ok() : Results.StatusCode(409));
            }
        };
        await using var sim = await KobbopaySimulator.StartAsync(new KobbopaySimulatorOptions { ClockMode = SimulatorClockMode.Wall, WebhookFaults = new SimulatorWebhookFaultOptions { Seed = 1, DuplicateRate = 1 } }, Sim.Ct);
        sim.AddWebhookEndpoint(receiver.Url, "whsk_registered");

        var (code, output, error) = await TriggerAsync("payment.paid", "--simulator", sim.BaseAddress.ToString());

        output.ShouldContain(": 409 in ", Case.Sensitive, "the refused copy is shown");
        output.ShouldContain(", fault duplicate");
        code.ShouldBe(0, output + error);
        output.ShouldContain("Trigger succeeded");
    }

    [Fact]
    public async Task NoEndpointAnywhere_IsBadInput_NamingForwardTo()
    {
        var (code, _, error) = await TriggerAsync("payment.paid", "--in-process");

        code.ShouldBe(2);
        error.ShouldContain("pass --forward-to URL");
    }

    private static async Task<(int Code, string Output, string Error)> TriggerAsync(params string[] args)
    {
        RootCommand root = new();
        root.Subcommands.Add(TriggerCommand.Create());
        using StringWriter output = new();
        using StringWriter error = new();
        int code = await root.Parse(["trigger", .. args]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, Sim.Ct);
        return (code, output.ToString(), error.ToString());
    }

    private static JsonElement Json(WebhookReceiver.Received r) => JsonDocument.Parse(r.Body).RootElement;

    private static string? Type(WebhookReceiver.Received r) => Json(r).GetProperty("type").GetString();
}
