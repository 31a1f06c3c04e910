namespace Kobbopay.Simulator.Tests;

/// <summary>
/// <see cref="KobbopaySimulatorOptions.MappingsDirectory"/> (<c>--mappings</c>): WireMock mapping files in a folder are
/// answered from the start, overriding the lifecycle they match (a whole route, or one order by its body); a missing
/// folder or a file that is not JSON stops the start with a message naming the option or the file; and
/// <c>POST /__admin/mappings/reset?reloadStaticMappings=true</c> brings the files' stubs back after they were deleted.
/// </summary>
public sealed class MappingFileTests : IDisposable
{
    private const string IncidentBody = """{"error":{"code":"internal_error","message":"Incident 42: the ledger is down."}}""";

    // A stub without a priority (WireMock's default, 0, which beats the lifecycle routes at 1,000).
    private const string FailEveryCreate =
        """{"Request":{"Path":"/v1/payments","Methods":["POST"]},"Response":{"StatusCode":500,"BodyAsJson":""" + IncidentBody + "}}";

    // A stub for one order: WireMock's JsonPartialMatcher on the request body.
    private const string FailOneOrder =
        """
        {
          "Title": "QA: order-incident-42 is refused upstream",
          "Request": {
            "Path": "/v1/payments",
            "Methods": ["POST"],
            "Body": { "Matcher": { "Name": "JsonPartialMatcher", "Pattern": { "orderId": "order-incident-42" } } }
          },
          "Response": {
            "StatusCode": 502,
            "Headers": { "Content-Type": "application/json" },
            "BodyAsJson": { "error": { "code": "bad_gateway", "message": "Upstream refused order-incident-42." } }
          }
        }
        """;

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("kobbopay-mappings-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task AStubFile_AnswersFromTheStart_InPlaceOfTheLifecycle()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder.FullName, "incident-42.json"), FailEveryCreate, Sim.Ct);
        await using var sim = await StartAsync();

        var response = await sim.PostPaymentAsync(Payments.Body());

        response.Status.ShouldBe(500, response.Body);
        response.Json.Prop("error").Str("message").ShouldBe("Incident 42: the ledger is down.");
        sim.PaymentCount.ShouldBe(0);
    }

    [Fact]
    public async Task AStubFileForOneOrder_AnswersThatOrder_AndTheLifecycleAnswersTheOthers()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder.FullName, "one-order.json"), FailOneOrder, Sim.Ct);
        await using var sim = await StartAsync();

        var refused = await sim.PostPaymentAsync(Payments.Body(orderId: "order-incident-42"));
        var created = await sim.PostPaymentAsync(Payments.Body(orderId: "order-fine-43"));

        refused.Status.ShouldBe(502, refused.Body);
        refused.Json.Prop("error").Str("code").ShouldBe("bad_gateway");
        created.Status.ShouldBe(201, created.Body);
        created.Json.Str("orderId").ShouldBe("order-fine-43");
        sim.PaymentCount.ShouldBe(1);
        (await WireMockAdmin.MappingsAsync(sim.Control)).Select(WireMockAdmin.Title).ShouldContain("QA: order-incident-42 is refused upstream");
    }

    [Fact]
    public async Task AFolderThatDoesNotExist_StopsTheStart_NamingTheOption()
    {
        string missing = Path.Combine(_folder.FullName, "no-such-folder");

        var refused = await Should.ThrowAsync<SimulatorException>(() => StartAsync(missing));

        refused.Message.ShouldContain("MappingsDirectory (--mappings)");
        refused.Message.ShouldContain(missing);
    }

    [Fact]
    public async Task AFileThatIsNotJson_StopsTheStart_NamingTheFile()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder.FullName, "a-good-one.json"), FailEveryCreate, Sim.Ct);
        string broken = Path.Combine(_folder.FullName, "broken.json");
        await File.WriteAllTextAsync(broken, """{"Request":{"Path":"/v1/payments","Methods":["POST"]},"Response":{"StatusCode":500,""", Sim.Ct);

        var refused = await Should.ThrowAsync<SimulatorException>(() => StartAsync());

        refused.Message.ShouldContain(broken);
    }

    [Fact]
    public async Task AMappingsResetWithReload_BringsTheFilesStubsBack()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder.FullName, "incident-42.json"), FailEveryCreate, Sim.Ct);
        await using var sim = await StartAsync();

        var deleted = await sim.ControlDeleteAsync("__admin/mappings");
        var withoutStub = await sim.PostPaymentAsync(Payments.Body());
        var plainReset = await sim.ControlPostAsync("__admin/mappings/reset");
        var stillWithout = await sim.PostPaymentAsync(Payments.Body());
        var reload = await sim.ControlPostAsync("__admin/mappings/reset?reloadStaticMappings=true");
        var withStub = await sim.PostPaymentAsync(Payments.Body());

        deleted.Status.ShouldBe(200, deleted.Body);
        withoutStub.Status.ShouldBe(201, withoutStub.Body);
        plainReset.Status.ShouldBe(200, plainReset.Body);
        stillWithout.Status.ShouldBe(201, stillWithout.Body);
        reload.Status.ShouldBe(200, reload.Body);
        withStub.Status.ShouldBe(500, withStub.Body);
        withStub.Json.Prop("error").Str("message").ShouldBe("Incident 42: the ledger is down.");
        sim.PaymentCount.ShouldBe(2);
    }

    private Task<SimulatorSession> StartAsync(string? folder = null) => SimulatorSession.StartAsync(o => o.MappingsDirectory = folder ?? _folder.FullName);
}
