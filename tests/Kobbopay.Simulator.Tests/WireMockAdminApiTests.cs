using System.Text.Json;
using Kobbopay.Simulator.Tests.TestSupport;
using Kobbopay.TestUtilities;

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
        await using var sim = await Sim.StartAsync();
        using var api = sim.CreateClient();
        using var admin = sim.CreateAdminClient();
        string stubbed = (await Payments.CreateAsync(api)).Str("id")!;
        string other = (await Payments.CreateAsync(api)).Str("id")!;

        Guid stub = await WireMockAdmin.PostMappingAsync(admin, WireMockAdmin.Stub("GET", $"/v1/payments/{stubbed}", 503, MaintenanceBody));
        var during = await api.GetApiAsync($"v1/payments/{stubbed}", Sim.Ct);
        var untouched = await api.GetApiAsync($"v1/payments/{other}", Sim.Ct);
        var deleted = await admin.DeleteApiAsync($"__admin/mappings/{stub}", Sim.Ct);
        var after = await api.GetApiAsync($"v1/payments/{stubbed}", Sim.Ct);

        during.Status.ShouldBe(503, during.Body);
        during.Json.Prop("error").Str("code").ShouldBe("gateway_maintenance");
        during.Json.Prop("error").Str("message").ShouldBe("Back at noon.");
        untouched.Status.ShouldBe(200, untouched.Body);
        untouched.Json.Str("id").ShouldBe(other);
        deleted.Status.ShouldBe(200, deleted.Body);
        after.Status.ShouldBe(200, after.Body);
        after.Json.Str("id").ShouldBe(stubbed);
        after.Json.Str("status").ShouldBe("pending");
        WireMockAdmin.Guids(await WireMockAdmin.MappingsAsync(admin)).ShouldNotContain(stub);
    }

    [Fact]
    public async Task DeletingAllMappings_RemovesTheStubs_AndTheLifecycleRoutesStillAnswer()
    {
        await using var sim = await Sim.StartAsync();
        using var api = sim.CreateClient();
        using var admin = sim.CreateAdminClient();
        Guid[] lifecycle = WireMockAdmin.Guids(WireMockAdmin.Lifecycle(await WireMockAdmin.MappingsAsync(admin)));
        string id = (await Payments.CreateAsync(api)).Str("id")!;
        await WireMockAdmin.PostMappingAsync(admin, WireMockAdmin.Stub("POST", "/v1/payments", 500, StubbedFailureBody));
        await WireMockAdmin.PostMappingAsync(admin, WireMockAdmin.Stub("GET", $"/v1/payments/{id}", 503, MaintenanceBody));
        var whileStubbed = await Payments.PostAsync(api, Payments.Body());

        var cleared = await admin.DeleteApiAsync("__admin/mappings", Sim.Ct);
        var created = await Payments.PostAsync(api, Payments.Body());
        var read = await api.GetApiAsync($"v1/payments/{id}", Sim.Ct);
        JsonElement[] after = await WireMockAdmin.MappingsAsync(admin);

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
        await using var sim = await Sim.StartAsync();
        using var api = sim.CreateClient();
        using var admin = sim.CreateAdminClient();
        Guid[] lifecycle = WireMockAdmin.Guids(WireMockAdmin.Lifecycle(await WireMockAdmin.MappingsAsync(admin)));
        Guid stub = await WireMockAdmin.PostMappingAsync(admin, WireMockAdmin.Stub("POST", "/v1/payments", 500, StubbedFailureBody));
        var whileStubbed = await Payments.PostAsync(api, Payments.Body());

        var answer = await admin.PostJsonAsync(reset, null, Sim.Ct);
        var created = await Payments.PostAsync(api, Payments.Body());
        var read = await api.GetApiAsync($"v1/payments/{created.Json.Str("id")}", Sim.Ct);
        JsonElement[] after = await WireMockAdmin.MappingsAsync(admin);

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
        await using var sim = await Sim.StartAsync();
        using var api = sim.CreateClient();
        using var admin = sim.CreateAdminClient();
        await Payments.CreateAsync(api);

        await admin.PostJsonAsync("__admin/mappings/reset", null, Sim.Ct);
        var afterMappingsReset = await WireMockAdmin.JournalAsync(admin);
        var answer = await admin.PostJsonAsync("__admin/reset", null, Sim.Ct);
        var afterReset = await WireMockAdmin.JournalAsync(admin);

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
        await using var sim = await Sim.StartAsync();
        using var api = sim.CreateClient();
        using var admin = sim.CreateAdminClient();
        string id = (await Payments.CreateAsync(api)).Str("id")!;
        using HttpRequestMessage request = HttpClientApiExtensions.CreateJsonRequest(
            new HttpMethod(method),
            $"__admin/mappings/{WireMockAdmin.GetPaymentMappingId}",
            method == "PUT" ? WireMockAdmin.Stub("GET", "/v1/payments/*", 503, MaintenanceBody) : null,
            idempotencyKey: null);

        var refused = await admin.SendApiAsync(request, Sim.Ct);
        var read = await api.GetApiAsync($"v1/payments/{id}", Sim.Ct);
        JsonElement[] mappings = await WireMockAdmin.MappingsAsync(admin);

        refused.Status.ShouldBe(409, refused.Body);
        refused.Json.Str("Status")!.ShouldContain(WireMockAdmin.GetPaymentMappingId);
        read.Status.ShouldBe(200, read.Body);
        read.Json.Str("id").ShouldBe(id);
        WireMockAdmin.Title(mappings.Single(m => m.Str("Guid") == WireMockAdmin.GetPaymentMappingId)).ShouldBe("Kobbopay lifecycle: GET /v1/payments/{id}");
    }

    [Fact]
    public async Task TheJournal_ListsTheCalls_WithTheApiKeyAndTheAdminTokenCutOut()
    {
        var options = Sim.Options();
        options.AdminToken = Token;
        await using var sim = await KobbopaySimulator.StartAsync(options, Sim.Ct);
        using var api = sim.CreateClient();
        using var control = sim.CreateAdminClient(Token);
        using var wrongKey = SimulatorHttp.CreateClient(sim.BaseAddress, "kp_test_wrong_secret_9999999999999999");
        string id = (await Payments.CreateAsync(api)).Str("id")!;
        (await api.GetApiAsync($"v1/payments/{id}", Sim.Ct)).Status.ShouldBe(200);
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
        var options = Sim.Options();
        options.RecordedRequestCapacity = 5;
        await using var sim = await KobbopaySimulator.StartAsync(options, Sim.Ct);
        using var api = sim.CreateClient();
        using var admin = sim.CreateAdminClient();
        List<string> requestIds = [];
        for (int i = 1; i <= 20; i++)
        {
            var response = await api.GetApiAsync($"v1/events?limit={i}", Sim.Ct);
            response.Status.ShouldBe(200, response.Body);
            requestIds.Add(response.ShouldHaveRequestId());
        }

        var journal = await WireMockAdmin.JournalAsync(admin);
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
        var options = Sim.Options();
        options.AdminToken = Token;
        await using var sim = await KobbopaySimulator.StartAsync(options, Sim.Ct);
        using var anonymous = sim.CreateAdminClient();
        using var wrong = sim.CreateAdminClient("wrong-token-0123456789");
        using var admin = sim.CreateAdminClient(Token);

        var missing = await anonymous.GetApiAsync("__admin/mappings", Sim.Ct);
        var wrongToken = await wrong.GetApiAsync("__admin/mappings", Sim.Ct);
        var refusedPost = await anonymous.PostJsonAsync("__admin/mappings", WireMockAdmin.Stub("POST", "/v1/payments", 500, StubbedFailureBody), Sim.Ct);
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
