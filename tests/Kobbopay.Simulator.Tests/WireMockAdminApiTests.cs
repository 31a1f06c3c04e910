using System.Text.Json;

namespace Kobbopay.Simulator.Tests;

/// <summary>
/// WireMock's admin API on the simulator's port, used over plain HTTP and JSON as any WireMock client would: a stub
/// posted for one payment overrides the lifecycle for that payment only, and deleting it restores the lifecycle;
/// deleting all mappings and both resets remove the stubs but never the lifecycle mappings, and a lifecycle mapping
/// cannot be deleted or replaced by id (409); the request journal lists the calls with the API key and the admin token
/// cut out, and keeps only the last <see cref="KobbopaySimulatorOptions.RecordedRequestCapacity"/>; with an admin token,
/// the admin API needs it.
/// </summary>
public sealed class WireMockAdminApiTests
{
    private const string Token = "sim-admin-token-0123456789";
    private const string RequestJournalHeader = "X-Kobbopay-Sim";
    private const string MaintenanceBody = """{"error":{"code":"gateway_maintenance","message":"Back at noon."}}""";
    private const string StubbedFailureBody = """{"error":{"code":"internal_error","message":"Stubbed failure."}}""";

    [Fact]
    public async Task AStubForOnePayment_AnswersItsOwn503_OtherPaymentsKeepTheLifecycle_AndDeletingTheStubRestoresIt()
    {
        await using var sim = await SimulatorSession.StartAsync();
        string stubbed = await sim.CreatePaymentAsync();
        string other = await sim.CreatePaymentAsync();

        Guid stub = await WireMockAdmin.PostMappingAsync(sim.Control, WireMockAdmin.Stub("GET", $"/v1/payments/{stubbed}", 503, MaintenanceBody));
        var during = await sim.GetAsync($"v1/payments/{stubbed}");
        var untouched = await sim.GetAsync($"v1/payments/{other}");
        var deleted = await sim.ControlDeleteAsync($"__admin/mappings/{stub}");
        var after = await sim.GetAsync($"v1/payments/{stubbed}");

        during.Status.ShouldBe(503, during.Body);
        during.Json.Prop("error").Str("code").ShouldBe("gateway_maintenance");
        during.Json.Prop("error").Str("message").ShouldBe("Back at noon.");
        untouched.Status.ShouldBe(200, untouched.Body);
        untouched.Json.Str("id").ShouldBe(other);
        deleted.Status.ShouldBe(200, deleted.Body);
        after.Status.ShouldBe(200, after.Body);
        after.Json.Str("id").ShouldBe(stubbed);
        after.Json.Str("status").ShouldBe("pending");
        WireMockAdmin.Guids(await WireMockAdmin.MappingsAsync(sim.Control)).ShouldNotContain(stub);
    }

    [Fact]
    public async Task DeletingAllMappings_RemovesTheStubs_AndTheLifecycleRoutesStillAnswer()
    {
        await using var sim = await SimulatorSession.StartAsync();
        Guid[] lifecycle = WireMockAdmin.Guids(WireMockAdmin.Lifecycle(await WireMockAdmin.MappingsAsync(sim.Control)));
        string id = await sim.CreatePaymentAsync();
        await WireMockAdmin.PostMappingAsync(sim.Control, WireMockAdmin.Stub("POST", "/v1/payments", 500, StubbedFailureBody));
        await WireMockAdmin.PostMappingAsync(sim.Control, WireMockAdmin.Stub("GET", $"/v1/payments/{id}", 503, MaintenanceBody));
        var whileStubbed = await sim.PostPaymentAsync(Payments.Body());

        var cleared = await sim.ControlDeleteAsync("__admin/mappings");
        var created = await sim.PostPaymentAsync(Payments.Body());
        var read = await sim.GetAsync($"v1/payments/{id}");
        JsonElement[] after = await WireMockAdmin.MappingsAsync(sim.Control);

        lifecycle.Length.ShouldBe(9, "the /v1 routes, the fault, the control API, the status page, the OpenAPI document and the fallback");
        whileStubbed.Status.ShouldBe(500, whileStubbed.Body);
        cleared.Status.ShouldBe(200, cleared.Body);
        created.Status.ShouldBe(201, created.Body);
        read.Status.ShouldBe(200, read.Body);
        sim.PaymentCount.ShouldBe(2);
        WireMockAdmin.Guids(after).ShouldBe(lifecycle, ignoreOrder: true);
        WireMockAdmin.Lifecycle(after).Length.ShouldBe(after.Length);
    }

    [Theory]
    [InlineData("__admin/mappings/reset")]
    [InlineData("__admin/reset")]
    public async Task AReset_RemovesTheStubs_AndKeepsTheLifecycle(string reset)
    {
        await using var sim = await SimulatorSession.StartAsync();
        Guid[] lifecycle = WireMockAdmin.Guids(WireMockAdmin.Lifecycle(await WireMockAdmin.MappingsAsync(sim.Control)));
        Guid stub = await WireMockAdmin.PostMappingAsync(sim.Control, WireMockAdmin.Stub("POST", "/v1/payments", 500, StubbedFailureBody));
        var whileStubbed = await sim.PostPaymentAsync(Payments.Body());

        var answer = await sim.ControlPostAsync(reset);
        var created = await sim.PostPaymentAsync(Payments.Body());
        var read = await sim.GetAsync($"v1/payments/{created.Json.Str("id")}");
        JsonElement[] after = await WireMockAdmin.MappingsAsync(sim.Control);

        whileStubbed.Status.ShouldBe(500, whileStubbed.Body);
        answer.Status.ShouldBe(200, answer.Body);
        answer.Json.Str("Status").ShouldNotBeNullOrWhiteSpace();
        created.Status.ShouldBe(201, created.Body);
        read.Status.ShouldBe(200, read.Body);
        WireMockAdmin.Guids(after).ShouldBe(lifecycle, ignoreOrder: true);
        WireMockAdmin.Guids(after).ShouldNotContain(stub);
    }

    [Fact]
    public async Task WireMocksReset_EmptiesTheJournal_AndAMappingsResetKeepsIt()
    {
        await using var sim = await SimulatorSession.StartAsync();
        await sim.CreatePaymentJsonAsync();

        await sim.ControlPostAsync("__admin/mappings/reset");
        var afterMappingsReset = await WireMockAdmin.JournalAsync(sim.Control);
        var answer = await sim.ControlPostAsync("__admin/reset");
        var afterReset = await WireMockAdmin.JournalAsync(sim.Control);

        WireMockAdmin.Paths(afterMappingsReset).ShouldBe(["/v1/payments"]);
        answer.Status.ShouldBe(200, answer.Body);
        afterReset.Json.GetArrayLength().ShouldBe(0, afterReset.Body);
        sim.Requests.ShouldBeEmpty();
        sim.PaymentCount.ShouldBe(1, "WireMock's reset is not the simulator's: payments stay (POST /_sim/reset clears them)");
    }

    [Theory]
    [InlineData("DELETE")]
    [InlineData("PUT")]
    public async Task ALifecycleMapping_CannotBeDeletedOrReplacedById_409_AndItsRouteStillAnswers(string method)
    {
        await using var sim = await SimulatorSession.StartAsync();
        string id = await sim.CreatePaymentAsync();
        using HttpRequestMessage request = HttpClientApiExtensions.CreateJsonRequest(
            new HttpMethod(method),
            $"__admin/mappings/{WireMockAdmin.GetPaymentMappingId}",
            method == "PUT" ? WireMockAdmin.Stub("GET", "/v1/payments/*", 503, MaintenanceBody) : null,
            idempotencyKey: null);

        var refused = await sim.Control.SendApiAsync(request, Sim.Ct);
        var read = await sim.GetAsync($"v1/payments/{id}");
        JsonElement[] mappings = await WireMockAdmin.MappingsAsync(sim.Control);

        refused.Status.ShouldBe(409, refused.Body);
        refused.Json.Str("Status")!.ShouldContain(WireMockAdmin.GetPaymentMappingId);
        read.Status.ShouldBe(200, read.Body);
        read.Json.Str("id").ShouldBe(id);
        WireMockAdmin.Title(mappings.Single(m => m.Str("Guid") == WireMockAdmin.GetPaymentMappingId)).ShouldBe("Kobbopay lifecycle: GET /v1/payments/{id}");
    }

    [Fact]
    public async Task TheJournal_ListsTheCalls_WithTheApiKeyAndTheAdminTokenCutOut()
    {
        await using var sim = await SimulatorSession.StartAsync(o => o.AdminToken = Token);
        using var control = sim.CreateAdminClient(Token);
        using var wrongKey = sim.CreateClient("kp_test_wrong_secret_9999999999999999");
        string id = await sim.CreatePaymentAsync();
        (await sim.GetAsync($"v1/payments/{id}")).Status.ShouldBe(200);
        (await wrongKey.GetApiAsync("v1/payments", Sim.Ct)).Status.ShouldBe(401);
        (await control.PostJsonAsync("_sim/clock/advance", """{"seconds":60}""", Sim.Ct)).Status.ShouldBe(200);
        (await control.GetApiAsync("_sim/clock", Sim.Ct)).Status.ShouldBe(200);
        (await control.GetApiAsync("__admin/mappings", Sim.Ct)).Status.ShouldBe(200);

        var journal = await WireMockAdmin.JournalAsync(control);

        WireMockAdmin.Paths(journal).ShouldBe(["/v1/payments", $"/v1/payments/{id}", "/v1/payments", "/_sim/clock/advance", "/_sim/clock"]);
        journal.Body.ShouldNotContain(sim.TestApiKey);
        journal.Body.ShouldNotContain("kp_test_wrong_secret");
        journal.Body.ShouldNotContain(Token);
        JsonElement[] entries = [.. journal.Json.EnumerateArray()];
        entries.Take(3).Select(e => Header(e, "x-api-key")).ShouldAllBe(v => v == "kp_test_***");
        entries.Skip(3).Select(e => Header(e, "Authorization")).ShouldAllBe(v => v == "Bearer ***");
    }

    [Fact]
    public async Task TheJournal_IsBounded_KeepingTheLastRequestsBySequence()
    {
        await using var sim = await SimulatorSession.StartAsync(o => o.RecordedRequestCapacity = 5);
        List<string> requestIds = [];
        for (int i = 1; i <= 20; i++)
        {
            var response = await sim.GetAsync($"v1/events?limit={i}");
            response.Status.ShouldBe(200, response.Body);
            requestIds.Add(response.ShouldHaveRequestId());
        }

        var journal = await WireMockAdmin.JournalAsync(sim.Control);
        IReadOnlyList<RecordedRequest> recorded = sim.Requests;

        journal.Json.GetArrayLength().ShouldBe(5, journal.Body);
        journal.Json.EnumerateArray().Select(e => Header(e, RequestJournalHeader)).Select(RequestIdOf).ShouldBe(requestIds[15..], ignoreOrder: true);
        recorded.Count.ShouldBe(5);
        recorded.Select(r => r.RequestId).ShouldBe(requestIds[15..]);
        recorded.Select(r => r.QueryString).ShouldBe(["?limit=16", "?limit=17", "?limit=18", "?limit=19", "?limit=20"]);
        recorded.Select(r => r.Sequence).ShouldBe(recorded.Select(r => r.Sequence).Order());
    }

    [Fact]
    public async Task WithAnAdminToken_TheAdminApiNeedsIt()
    {
        await using var sim = await SimulatorSession.StartAsync(o => o.AdminToken = Token);
        using var wrong = sim.CreateAdminClient("wrong-token-0123456789");
        using var admin = sim.CreateAdminClient(Token);

        var missing = await sim.ControlGetAsync("__admin/mappings");
        var wrongToken = await wrong.GetApiAsync("__admin/mappings", Sim.Ct);
        var refusedPost = await sim.ControlPostAsync("__admin/mappings", WireMockAdmin.Stub("POST", "/v1/payments", 500, StubbedFailureBody));
        var allowed = await admin.GetApiAsync("__admin/mappings", Sim.Ct);

        missing.ShouldBeError(401, "invalid_admin_token");
        wrongToken.ShouldBeError(401, "invalid_admin_token");
        refusedPost.ShouldBeError(401, "invalid_admin_token");
        allowed.Status.ShouldBe(200, allowed.Body);
        WireMockAdmin.Lifecycle([.. allowed.Json.EnumerateArray()]).Length.ShouldBe(allowed.Json.GetArrayLength(), "the refused POST added no stub");
    }

    /// <summary>The one value of a request header in a journal entry (<c>Request.Headers</c> maps a name to an array).</summary>
    private static string Header(JsonElement entry, string name)
    {
        JsonElement headers = entry.Prop("Request").Prop("Headers");
        JsonProperty header = headers.EnumerateObject().Single(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase));
        return header.Value.EnumerateArray().Single().GetString()!;
    }

    /// <summary>The request id in the simulator's journal header (<c>seq=1; at=…; id=req_…</c>).</summary>
    private static string RequestIdOf(string journalHeader) =>
        journalHeader.Split("; ").Single(p => p.StartsWith("id=", StringComparison.Ordinal))[3..];
}
