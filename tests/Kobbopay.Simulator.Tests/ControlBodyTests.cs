namespace Kobbopay.Simulator.Tests;

/// <summary>Control API bodies: a field left out keeps its default; a field the call does not know is refused by name.</summary>
public sealed class ControlBodyTests
{
    [Fact]
    public async Task PutFaults_AFieldLeftOut_KeepsItsDefault_SoRetryAfterStaysOneSecond()
    {
        await using var sim = await SimulatorSession.StartAsync();

        var put = await sim.ControlPutAsync("_sim/faults", """{"seed":3,"rateLimitRate":1}""");
        var limited = await sim.GetAsync("v1/payments");

        put.Status.ShouldBe(200, put.Body);
        put.Json.Int("retryAfterSeconds").ShouldBe(new SimulatorFaultOptions().RetryAfterSeconds);
        sim.Faults.ShouldBe(new SimulatorFaultOptions { Seed = 3, RateLimitRate = 1 });
        limited.Status.ShouldBe(429, limited.Body);
        limited.Header("Retry-After").ShouldBe("1");
    }

    [Theory]
    [InlineData("_sim/faults", """{"seed":1,"retryAfterSecnds":5}""", "retryAfterSecnds")]
    [InlineData("_sim/faults", """{"internalErrorRate":0.1,"unavailable":0.2}""", "unavailable")]
    [InlineData("_sim/webhook-faults", """{"seed":1,"duplicates":0.5}""", "duplicates")]
    public async Task PutFaults_AnUnknownField_Is400NamingIt_AndChangesNothing(string path, string body, string field)
    {
        await using var sim = await SimulatorSession.StartAsync();
        SimulatorFaultOptions apiBefore = sim.Faults;
        SimulatorWebhookFaultOptions webhookBefore = sim.WebhookFaults;

        var response = await sim.ControlPutAsync(path, body);

        var error = response.ShouldBeError(400, "invalid_request", field);
        error.Str("message")!.ShouldContain($"'{field}'");
        error.Str("message")!.ShouldNotContain("Kobbopay.", Case.Sensitive, "no internal type names in an answer");
        sim.Faults.ShouldBe(apiBefore);
        sim.WebhookFaults.ShouldBe(webhookBefore);
    }
}

/// <summary>A body of the wrong type is refused with a message that says what was wrong.</summary>
public sealed class ContentTypeTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    [Theory]
    [InlineData("POST", "v1/payments", "text/plain", "'text/plain'")]
    [InlineData("POST", "v1/payments", null, "missing")]
    [InlineData("PUT", "_sim/faults", "application/x-www-form-urlencoded", "'application/x-www-form-urlencoded'")]
    public async Task AWrongOrMissingContentType_Is415SayingWhatWasWrong(string method, string path, string? contentType, string said)
    {
        KobbopaySimulator sim = fixture.Simulator;
        using var client = sim.CreateClient();
        int before = sim.PaymentCount;
        using HttpRequestMessage request = new(new HttpMethod(method), path) { Content = new ByteArrayContent("""{"amount":"10.50","currency":"USDT","network":"example-network","orderId":"o-415"}"""u8.ToArray()) };
        request.Content.Headers.ContentType = contentType is null ? null : new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        request.Headers.TryAddWithoutValidation("Idempotency-Key", "key-" + Guid.NewGuid().ToString("N"));

        var response = await client.SendApiAsync(request, Sim.Ct);

        var error = response.ShouldBeError(415, "invalid_request", "Content-Type");
        error.Str("message")!.ShouldContain("application/json");
        error.Str("message")!.ShouldContain(said);
        error.Str("message")!.ShouldNotContain("No endpoint");
        sim.PaymentCount.ShouldBe(before);
    }
}

/// <summary>What QA found in the control API's listings and its OpenAPI document.</summary>
public sealed class ControlApiDocumentTests
{
    [Fact]
    public async Task Deliveries_HonourLimit_AndRefuseABadOne()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sim = await SimulatorSession.StartAsync();
        sim.AddWebhookEndpoint(receiver.Url);
        for (int i = 0; i < 3; i++)
        {
            await sim.CreatePaymentJsonAsync();
        }

        await sim.WhenWebhooksIdleAsync();

        var all = await sim.ControlGetAsync("_sim/deliveries");
        var last2 = await sim.ControlGetAsync("_sim/deliveries?limit=2");
        var bad = await sim.ControlGetAsync("_sim/deliveries?limit=0");

        all.Json.Items("data").Count().ShouldBe(3);
        last2.Json.Items("data").Select(d => d.Str("id")).ShouldBe(all.Json.Items("data").Skip(1).Select(d => d.Str("id")));
        bad.ShouldBeError(400, "invalid_request", "limit");
    }

    [Fact]
    public async Task ABodyOfTheWrongType_IsNamedByItsField_WithoutInternalTypeNames()
    {
        await using var sim = await SimulatorSession.StartAsync();
        string id = await sim.CreatePaymentAsync();

        var response = await sim.ControlPostAsync($"_sim/payments/{id}/pay", """{"amount":5}""");

        var error = response.ShouldBeError(400, "invalid_request", "amount");
        error.Str("message")!.ShouldNotContain("Kobbopay.", Case.Sensitive);
        error.Str("message")!.ShouldNotContain("Dto", Case.Sensitive);
    }

    [Fact]
    public async Task TheOpenApiDocument_SaysWhatTheEndpointsDo()
    {
        await using var sim = await SimulatorSession.StartAsync();

        var document = (await sim.ControlGetAsync("openapi/v1.json")).Json;

        var paths = document.Prop("paths");
        paths.Prop("/_sim/webhook-endpoints/{id}").Prop("delete").Prop("responses").TryGetProperty("204", out _).ShouldBeTrue("DELETE answers 204");
        paths.Prop("/_sim/requests").Prop("delete").Prop("responses").TryGetProperty("204", out _).ShouldBeTrue();
        var schema = document.Prop("components").Prop("schemas").Prop("AddWebhookEndpointRequestDto");
        string[] required = schema.TryGetProperty("required", out var r) ? [.. r.EnumerateArray().Select(e => e.GetString()!)] : [];
        required.ShouldNotContain("secret");
        required.ShouldNotContain("scheme");
        required.ShouldNotContain("environment");
    }
}
