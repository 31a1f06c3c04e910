using System.Text.Json;

namespace Kobbopay.Simulator.Tests;

/// <summary>
/// <see cref="KobbopaySimulatorOptions.ProxyTo"/> (<c>--proxy-to</c>): a simulator B in front of another gateway A
/// forwards the <c>/v1</c> API with the caller's key, so payments are made in A, not B; stubs posted to B still come
/// first and the control API stays B's; with <see cref="KobbopaySimulatorOptions.RecordProxiedAnswers"/> (<c>--record</c>)
/// each proxied answer becomes one more mapping in B, listed by <c>GET /__admin/mappings</c> with the answer's status and body,
/// which answers the same request afterwards.
/// </summary>
public sealed class ProxyTests
{
    [Fact]
    public async Task ACreateThroughTheProxy_IsMadeInTheOtherGateway()
    {
        await using var a = await SimulatorSession.StartAsync();
        await using var b = await StartProxyAsync(a, record: false);
        int mappingsBefore = (await WireMockAdmin.MappingsAsync(b.Control)).Length;

        var created = await b.PostPaymentAsync(Payments.Body(orderId: "order-proxied-1"), "proxy-key-1");
        string id = created.Json.Str("id")!;
        var readThroughB = await b.GetAsync($"v1/payments/{id}");
        var readFromA = await a.GetAsync($"v1/payments/{id}");

        created.Status.ShouldBe(201, created.Body);
        a.PaymentCount.ShouldBe(1);
        b.PaymentCount.ShouldBe(0);
        readThroughB.Status.ShouldBe(200, readThroughB.Body);
        readFromA.Status.ShouldBe(200, readFromA.Body);
        readFromA.Json.Str("orderId").ShouldBe("order-proxied-1");
        a.Requests.Where(r => r.Path.StartsWith("/v1", StringComparison.Ordinal)).Select(r => r.Environment).ShouldBe(["test", "test", "test"], "A resolved the forwarded key each time");
        a.Requests.First().IdempotencyKey.ShouldBe("proxy-key-1");
        (await WireMockAdmin.MappingsAsync(b.Control)).Length.ShouldBe(mappingsBefore, "nothing is recorded without RecordProxiedAnswers");
    }

    [Fact]
    public async Task WithRecording_AProxiedGet_BecomesOneMoreMapping_WithTheAnswer()
    {
        await using var a = await SimulatorSession.StartAsync();
        string id = await a.CreatePaymentAsync();
        await using var b = await StartProxyAsync(a, record: true);
        Guid[] before = WireMockAdmin.Guids(await WireMockAdmin.MappingsAsync(b.Control));

        var read = await b.GetAsync($"v1/payments/{id}");
        JsonElement[] after = await WireMockAdmin.MappingsAsync(b.Control);

        var again = await b.GetAsync($"v1/payments/{id}");

        // The recording matches on method, path, query and body, not on per-request headers (the journal's
        // X-Kobbopay-Sim, Host, the API key), so the same GET is answered from it, and it holds no API key.
        read.Status.ShouldBe(200, read.Body);
        again.Status.ShouldBe(200, again.Body);
        again.Json.Str("id").ShouldBe(id);
        after.Length.ShouldBe(before.Length + 1);
        JsonElement recorded = after.Single(m => !before.Contains(Guid.Parse(m.Str("Guid")!)));
        WireMockAdmin.Title(recorded).ShouldBe($"Proxy Mapping for GET /v1/payments/{id}");
        recorded.Prop("Request").Prop("Methods").EnumerateArray().Single().GetString().ShouldBe("GET");
        recorded.Prop("Response").Prop("StatusCode").GetInt32().ShouldBe(200);
        recorded.Prop("Response").Prop("BodyAsJson").Str("id").ShouldBe(id);
        recorded.GetRawText().ShouldNotContain(a.TestApiKey, customMessage: "the recording keeps no API key");
        recorded.GetRawText().ShouldNotContain("X-Kobbopay-Sim", Case.Insensitive);
        (await WireMockAdmin.MappingsAsync(b.Control)).Length.ShouldBe(after.Length, "the second GET was answered by the recording, not recorded again");
        a.Requests.Count(r => r.Path == $"/v1/payments/{id}").ShouldBe(1);
    }

    [Fact]
    public async Task AStubPostedToTheProxy_ComesBeforeTheOtherGateway_AndTheControlApiStaysLocal()
    {
        await using var a = await SimulatorSession.StartAsync();
        string id = await a.CreatePaymentAsync();
        await using var b = await StartProxyAsync(a, record: false);
        await WireMockAdmin.PostMappingAsync(b.Control, WireMockAdmin.Stub("GET", $"/v1/payments/{id}", 503, """{"error":{"code":"unavailable","message":"Stubbed in B."}}"""));

        var stubbed = await b.GetAsync($"v1/payments/{id}");
        var advanced = await b.ControlPostAsync("_sim/clock/advance", """{"seconds":120}""");

        stubbed.Status.ShouldBe(503, stubbed.Body);
        stubbed.Json.Prop("error").Str("message").ShouldBe("Stubbed in B.");
        a.Requests.ShouldNotContain(r => r.Path == $"/v1/payments/{id}");
        advanced.Status.ShouldBe(200, advanced.Body);
        b.Clock.GetUtcNow().ShouldBe(Sim.Start.AddSeconds(120));
        a.Clock.GetUtcNow().ShouldBe(Sim.Start);
    }

    private static Task<SimulatorSession> StartProxyAsync(SimulatorSession target, bool record) => SimulatorSession.StartAsync(o =>
    {
        o.ProxyTo = target.Simulator.BaseAddress;
        o.RecordProxiedAnswers = record;
    });
}
