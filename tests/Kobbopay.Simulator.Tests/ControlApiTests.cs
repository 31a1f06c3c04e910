using System.Text.Json;

namespace Kobbopay.Simulator.Tests;

/// <summary>The <c>/_sim</c> control API over HTTP, which needs no API key.</summary>
public sealed class ControlApiTests
{
    [Fact]
    public async Task Pay_WithoutBody_PaysWhatIsOwed()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var id = await sim.CreatePaymentAsync(Payments.Body(amount: "10.50"));

        var response = await sim.ControlPostAsync($"_sim/payments/{id}/pay");

        response.Status.ShouldBe(200, response.Body);
        response.Json.Str("id").ShouldBe(id);
        response.Json.Str("status").ShouldBe("paid");
        response.Json.Dec("amountReceived").ShouldBe(10.50m);
        sim.GetPayment(id).Status.ShouldBe("paid");
    }

    [Fact]
    public async Task Pay_WithEmptyObject_PaysWhatIsOwed()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var id = await sim.CreatePaymentAsync(Payments.Body(amount: "10.50"));
        sim.Pay(id, 0.50m);

        var response = await sim.ControlPostAsync($"_sim/payments/{id}/pay", "{}");

        response.Status.ShouldBe(200, response.Body);
        response.Json.Str("status").ShouldBe("paid");
        response.Json.Dec("amountReceived").ShouldBe(10.50m);
    }

    [Fact]
    public async Task Pay_WithAmountAndTxHash_RecordsThem()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var id = await sim.CreatePaymentAsync(Payments.Body(amount: "10.50"));

        var response = await sim.ControlPostAsync($"_sim/payments/{id}/pay", """{"amount":"5.00","txHash":"0xabc123"}""");

        response.Status.ShouldBe(200, response.Body);
        response.Json.Str("status").ShouldBe("pending");
        response.Json.Dec("amountReceived").ShouldBe(5.00m);
        response.Json.Str("txHash").ShouldBe("0xabc123");
        var payment = await sim.ReadPaymentAsync(id);
        payment.Dec("amountReceived").ShouldBe(5.00m);
        (await sim.EventTypesOfAsync(id)).ShouldBe(["payment.created", "payment.updated"]);
    }

    [Fact]
    public async Task Confirm_OverHttp_ConfirmsAPaidPayment()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var id = await sim.CreatePaymentAsync();
        (await sim.ControlPostAsync($"_sim/payments/{id}/pay", "{}")).Status.ShouldBe(200);

        var response = await sim.ControlPostAsync($"_sim/payments/{id}/confirm");

        response.Status.ShouldBe(200, response.Body);
        response.Json.Str("status").ShouldBe("confirmed");
        response.Json.Int("confirmations").ShouldBe(12);
        response.Json.Time("confirmedAt").ShouldBe(Sim.Start);
    }

    [Fact]
    public async Task Confirm_OverHttpWithConfirmations_ReportsThem()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var id = await sim.CreatePaymentAsync();
        sim.Pay(id);

        var response = await sim.ControlPostAsync($"_sim/payments/{id}/confirm", """{"confirmations":20}""");

        response.Status.ShouldBe(200, response.Body);
        response.Json.Str("status").ShouldBe("confirmed");
        response.Json.Int("confirmations").ShouldBe(20);
    }

    [Fact]
    public async Task Confirm_OverHttpOfAPendingPayment_Returns409InvalidTransition()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var id = await sim.CreatePaymentAsync();

        var response = await sim.ControlPostAsync($"_sim/payments/{id}/confirm", "{}");

        response.ShouldBeError(409, "invalid_transition");
        sim.GetPayment(id).Status.ShouldBe("pending");
    }

    [Fact]
    public async Task Expire_OverHttp_ExpiresAPendingPayment()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var id = await sim.CreatePaymentAsync();

        var response = await sim.ControlPostAsync($"_sim/payments/{id}/expire");

        response.Status.ShouldBe(200, response.Body);
        response.Json.Str("status").ShouldBe("expired");
        response.Json.Time("expiredAt").ShouldBe(Sim.Start);
        var events = await sim.EventsOfAsync(id);
        events.Select(e => e.Str("type")).ShouldBe(["payment.created", "payment.expired"]);
        events[1].Str("previousStatus").ShouldBe("pending");
    }

    [Fact]
    public async Task Expire_OverHttpOfAPaidPayment_Returns409InvalidTransition()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var id = await sim.CreatePaymentAsync();
        sim.Pay(id);

        var response = await sim.ControlPostAsync($"_sim/payments/{id}/expire");

        response.ShouldBeError(409, "invalid_transition");
        sim.GetPayment(id).Status.ShouldBe("paid");
    }

    [Fact]
    public async Task Expire_OverHttpOfAPaidPaymentWithAllowPaidToExpire_Expires()
    {
        await using var sim = await SimulatorSession.StartAsync(o => o.AllowPaidToExpire = true);
        var id = await sim.CreatePaymentAsync();
        sim.Pay(id);

        var response = await sim.ControlPostAsync($"_sim/payments/{id}/expire");

        response.Status.ShouldBe(200, response.Body);
        response.Json.Str("status").ShouldBe("expired");
    }

    [Fact]
    public async Task PayAfterExpiry_OverHttp_StaysExpiredWithLatePayment()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var id = await sim.CreatePaymentAsync(Payments.Body(expiresInSeconds: 60));
        (await sim.ControlPostAsync("_sim/clock/advance", """{"seconds":120}""")).Status.ShouldBe(200);

        var response = await sim.ControlPostAsync($"_sim/payments/{id}/pay", """{"amount":"10.50"}""");

        response.Status.ShouldBe(200, response.Body);
        response.Json.Str("status").ShouldBe("expired");
        response.Json.Dec("amountReceived").ShouldBe(10.50m);
        var events = await sim.EventsOfAsync(id);
        events.Select(e => e.Str("type")).ShouldBe(["payment.created", "payment.expired", "payment.late_payment"]);
    }

    [Theory]
    [InlineData("""{"amount":"abc"}""")]
    [InlineData("""{"amount":"-1"}""")]
    [InlineData("""{"amount":5}""")]
    [InlineData("{")]
    public async Task Pay_WithABadBody_Returns400InvalidRequest(string body)
    {
        await using var sim = await SimulatorSession.StartAsync();
        var id = await sim.CreatePaymentAsync();

        var response = await sim.ControlPostAsync($"_sim/payments/{id}/pay", body);

        response.ShouldBeError(400, "invalid_request");
        sim.GetPayment(id).LastSequence.ShouldBe(1);
    }

    [Fact]
    public async Task Clock_ReportsNowAndManualMode()
    {
        await using var sim = await SimulatorSession.StartAsync();

        var response = await sim.ControlGetAsync("_sim/clock");

        response.Status.ShouldBe(200, response.Body);
        response.Json.Time("now").ShouldBe(Sim.Start);
        response.Json.Str("mode").ShouldBe("manual");
        sim.Clock.Mode.ShouldBe(SimulatorClockMode.Manual);
    }

    [Fact]
    public async Task Clock_InWallMode_ReportsWallAndNeverRunsBehindItsStart()
    {
        await using var sim = await SimulatorSession.StartAsync(o => o.ClockMode = SimulatorClockMode.Wall);

        var response = await sim.ControlGetAsync("_sim/clock");

        response.Status.ShouldBe(200, response.Body);
        response.Json.Str("mode").ShouldBe("wall");
        response.Json.Time("now")!.Value.ShouldBeGreaterThanOrEqualTo(Sim.Start);
        sim.Clock.Mode.ShouldBe(SimulatorClockMode.Wall);
    }

    [Fact]
    public async Task ClockAdvance_MovesTheClockAndRunsExpiries()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var id = await sim.CreatePaymentAsync();

        var response = await sim.ControlPostAsync("_sim/clock/advance", """{"seconds":3600}""");

        response.Status.ShouldBe(200, response.Body);
        response.Json.Time("now").ShouldBe(Sim.Start.AddHours(1));
        sim.Clock.GetUtcNow().ShouldBe(Sim.Start.AddHours(1));
        (await sim.ControlGetAsync("_sim/clock")).Json.Time("now").ShouldBe(Sim.Start.AddHours(1));
        sim.GetPayment(id).Status.ShouldBe("expired");
        var payment = await sim.ReadPaymentAsync(id);
        payment.Str("status").ShouldBe("expired");
    }

    [Theory]
    [InlineData("""{"seconds":-1}""")]
    [InlineData("""{"seconds":"soon"}""")]
    [InlineData("[]")]
    public async Task ClockAdvance_WithABadBody_Returns400AndLeavesTheClock(string body)
    {
        await using var sim = await SimulatorSession.StartAsync();

        var response = await sim.ControlPostAsync("_sim/clock/advance", body);

        response.ShouldBeError(400, "invalid_request");
        sim.Clock.GetUtcNow().ShouldBe(Sim.Start);
    }

    [Fact]
    public async Task Clock_InProcessAdvance_RejectsNegative()
    {
        await using var sim = await SimulatorSession.StartAsync();

        Should.Throw<ArgumentOutOfRangeException>(() => sim.Clock.Advance(TimeSpan.FromSeconds(-1)));

        sim.Clock.GetUtcNow().ShouldBe(Sim.Start);
    }

    [Fact]
    public async Task Faults_GetReturnsTheStartingFaults()
    {
        await using var sim = await SimulatorSession.StartAsync(o => o.Faults = new SimulatorFaultOptions { Seed = 42, InternalErrorRate = 0.1, RateLimitRate = 0.05, RetryAfterSeconds = 3 });

        var response = await sim.ControlGetAsync("_sim/faults");

        response.Status.ShouldBe(200, response.Body);
        response.Json.Int("seed").ShouldBe(42);
        response.Json.Prop("internalErrorRate").GetDouble().ShouldBe(0.1);
        response.Json.Prop("rateLimitRate").GetDouble().ShouldBe(0.05);
        response.Json.Prop("unavailableRate").GetDouble().ShouldBe(0);
        response.Json.Int("retryAfterSeconds").ShouldBe(3);
        foreach (var name in new[] { "dropConnectionRate", "responseLossRate", "latencyRate", "latencyMilliseconds" })
        {
            response.Json.TryGetProperty(name, out _).ShouldBeTrue(name);
        }
    }

    [Fact]
    public async Task Faults_PutReplacesThemAndGetReadsThemBack()
    {
        await using var sim = await SimulatorSession.StartAsync();
        const string faults = """{"seed":9,"internalErrorRate":0.1,"unavailableRate":0.2,"rateLimitRate":0.05,"retryAfterSeconds":4,"dropConnectionRate":0.05,"responseLossRate":0.05,"latencyRate":0,"latencyMilliseconds":0}""";

        var put = await sim.ControlPutAsync("_sim/faults", faults);
        var get = await sim.ControlGetAsync("_sim/faults");

        put.Status.ShouldBe(200, put.Body);
        get.Status.ShouldBe(200, get.Body);
        get.Json.Int("seed").ShouldBe(9);
        get.Json.Prop("unavailableRate").GetDouble().ShouldBe(0.2);
        get.Json.Int("retryAfterSeconds").ShouldBe(4);
        sim.Faults.ShouldBe(new SimulatorFaultOptions
        {
            Seed = 9, InternalErrorRate = 0.1, UnavailableRate = 0.2, RateLimitRate = 0.05, RetryAfterSeconds = 4,
            DropConnectionRate = 0.05, ResponseLossRate = 0.05,
        });
    }

    [Theory]
    [InlineData("""{"internalErrorRate":0.6,"unavailableRate":0.6}""")]
    [InlineData("""{"internalErrorRate":-0.1}""")]
    [InlineData("""{"rateLimitRate":1.5}""")]
    [InlineData("not json")]
    public async Task Faults_PutInvalid_Returns400AndKeepsTheOldFaults(string body)
    {
        await using var sim = await SimulatorSession.StartAsync();

        var response = await sim.ControlPutAsync("_sim/faults", body);

        response.ShouldBeError(400, "invalid_request");
        sim.Faults.ShouldBe(SimulatorFaultOptions.None);
    }

    [Fact]
    public async Task Faults_SetInProcess_AreVisibleOverHttp()
    {
        await using var sim = await SimulatorSession.StartAsync();

        sim.Faults = new SimulatorFaultOptions { Seed = 3, UnavailableRate = 0.5 };
        var response = await sim.ControlGetAsync("_sim/faults");

        response.Json.Int("seed").ShouldBe(3);
        response.Json.Prop("unavailableRate").GetDouble().ShouldBe(0.5);
    }

    [Fact]
    public async Task Requests_ListsWhatWasReceivedNewestLast()
    {
        await using var sim = await SimulatorSession.StartAsync();
        await sim.CreatePaymentJsonAsync();
        await sim.GetAsync("v1/payments");

        var response = await sim.ControlGetAsync("_sim/requests");

        response.Status.ShouldBe(200, response.Body);
        var apiRequests = RecordedItems(response).Where(r => r.Str("path")!.StartsWith("/v1", StringComparison.Ordinal)).ToList();
        apiRequests.Select(r => (r.Str("method"), r.Str("path"))).ShouldBe([("POST", "/v1/payments"), ("GET", "/v1/payments")]);
        var sequences = apiRequests.Select(r => r.Int("sequence")!.Value).ToList();
        sequences.ShouldBe(sequences.Order());
    }

    [Fact]
    public async Task Requests_LimitKeepsTheNewest()
    {
        await using var sim = await SimulatorSession.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            await sim.GetAsync($"v1/payments?orderId=o{i}");
        }

        var response = await sim.ControlGetAsync("_sim/requests?limit=2");

        response.Status.ShouldBe(200, response.Body);
        var items = RecordedItems(response);
        items.Count.ShouldBe(2);
        items.Select(r => r.Str("queryString")).ShouldBe(["?orderId=o3", "?orderId=o4"]);
    }

    [Fact]
    public async Task Requests_DeleteForgetsThem()
    {
        await using var sim = await SimulatorSession.StartAsync();
        await sim.CreatePaymentJsonAsync();

        var delete = await sim.ControlDeleteAsync("_sim/requests");
        await sim.GetAsync("v1/events");
        var response = await sim.ControlGetAsync("_sim/requests");

        delete.Status.ShouldBe(204);
        RecordedItems(response).Where(r => r.Str("path")!.StartsWith("/v1", StringComparison.Ordinal))
            .Select(r => r.Str("path")).ShouldBe(["/v1/events"]);
        sim.Requests.Where(r => r.Path.StartsWith("/v1", StringComparison.Ordinal)).Select(r => r.Path).ShouldBe(["/v1/events"]);
    }

    [Fact]
    public async Task ClearRequests_InProcess_ForgetsThem()
    {
        await using var sim = await SimulatorSession.StartAsync();
        await sim.CreatePaymentJsonAsync();

        sim.ClearRequests();

        sim.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task ControlApi_NeedsNoApiKeyButAcceptsOne()
    {
        await using var sim = await SimulatorSession.StartAsync();

        (await sim.ControlGetAsync("_sim/clock")).Status.ShouldBe(200);
        (await sim.GetAsync("_sim/clock")).Status.ShouldBe(200);
    }

    [Fact]
    public async Task OpenApiDocument_DescribesThePaymentsPath()
    {
        await using var sim = await SimulatorSession.StartAsync();

        var response = await sim.GetAsync("openapi/v1.json");

        response.Status.ShouldBe(200, response.Body);
        response.Header("content-type")!.ShouldContain("json");
        response.Json.Prop("openapi").GetString()!.ShouldStartWith("3.");
        response.Json.Prop("paths").TryGetProperty("/v1/payments", out var path).ShouldBeTrue();
        path.TryGetProperty("post", out _).ShouldBeTrue();
        path.TryGetProperty("get", out _).ShouldBeTrue();
    }

    internal static List<JsonElement> RecordedItems(ApiResponse response)
    {
        var json = response.Json;
        return [.. json.Items("data")];
    }
}
