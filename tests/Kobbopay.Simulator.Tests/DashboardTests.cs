namespace Kobbopay.Simulator.Tests;

/// <summary>The dashboard at <c>/_sim/ui</c> over HTTP: its public shell, and the guarded data it reads.</summary>
public sealed class DashboardTests
{
    private const string Token = "sim-admin-token-0123456789";

    [Theory]
    [InlineData("_sim/ui", "text/html; charset=utf-8", "<h1>Kobbopay simulator</h1>")]
    [InlineData("_sim/ui/dashboard.css", "text/css; charset=utf-8", ".layout")]
    [InlineData("_sim/ui/dashboard.js", "text/javascript; charset=utf-8", "/_sim/ui/version")]
    public async Task TheShell_IsServedWithoutTheToken_WithItsTypeAStrictPolicyAndNoCaching(string path, string contentType, string content)
    {
        await using var sim = await SimulatorSession.StartAsync(o => o.AdminToken = Token);

        using var response = await sim.Control.GetAsync(path, Sim.Ct);
        string body = await response.Content.ReadAsStringAsync(Sim.Ct);

        ((int)response.StatusCode).ShouldBe(200, body);
        response.Content.Headers.ContentType!.ToString().ShouldBe(contentType);
        response.Headers.GetValues("Content-Security-Policy").Single().ShouldBe(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
        response.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
        response.Headers.CacheControl!.NoCache.ShouldBeTrue();
        body.ShouldContain(content);
    }

    [Theory]
    [InlineData("_sim/ui/version")]
    [InlineData("_sim/payments")]
    [InlineData("_sim/payments/pay_x")]
    [InlineData("_sim/ui/other.js")]
    public async Task TheData_NeedsTheToken(string path)
    {
        await using var sim = await SimulatorSession.StartAsync(o => o.AdminToken = Token);

        var response = await sim.ControlGetAsync(path);

        response.ShouldBeError(401, "invalid_admin_token");
    }

    [Fact]
    public async Task ListPayments_ListsNewestFirst_WithTheirEnvironment_AndFiltersByStatus()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var ids = await sim.CreatePaymentsAsync(3);
        sim.Pay(ids[1]);

        var all = await sim.ControlGetAsync("_sim/payments");
        var paid = await sim.ControlGetAsync("_sim/payments?status=paid");
        var two = await sim.ControlGetAsync("_sim/payments?limit=2");

        all.Status.ShouldBe(200, all.Body);
        all.Header("Cache-Control").ShouldBe("no-store");
        all.Json.Items("data").Select(p => p.Prop("payment").Str("id")).ShouldBe([ids[2], ids[1], ids[0]]);
        all.Json.Items("data").Select(p => p.Str("environment")).ShouldAllBe(e => e == "test");
        paid.Json.Items("data").Select(p => p.Prop("payment").Str("id")).ShouldBe([ids[1]]);
        paid.Json.Items("data")[0].Prop("payment").Dec("amountReceived").ShouldBe(10.50m);
        two.Json.Items("data").Select(p => p.Prop("payment").Str("id")).ShouldBe([ids[2], ids[1]]);
    }

    [Fact]
    public async Task GetPayment_HasItsEventsAndItsDeliveriesWithEveryAttempt()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = WebhookSetup.FirstThenOk(Results.StatusCode(500));
        await using var sim = await SimulatorSession.StartAsync();
        var endpoint = sim.AddWebhookEndpoint(receiver.Url);
        var id = await sim.CreateWeekLongPaymentAsync();
        await sim.WhenWebhooksIdleAsync(); // so the receiver's first request, the one it fails, is this payment's and not the other's
        var other = await sim.CreateWeekLongPaymentAsync();
        sim.Pay(id);
        await sim.WhenWebhooksIdleAsync();
        await sim.AdvanceAndDeliverAsync(TimeSpan.FromSeconds(5)); // the failed first attempt's retry

        var response = await sim.ControlGetAsync($"_sim/payments/{id}");

        response.Status.ShouldBe(200, response.Body);
        response.Json.Str("environment").ShouldBe("test");
        response.Json.Prop("payment").Str("status").ShouldBe("paid");
        response.Json.Items("events").Select(e => e.Str("type")).ShouldBe(["payment.created", "payment.paid"]);
        response.Json.Items("events").Select(e => e.Int("sequence")).ShouldBe([1L, 2L]);
        var deliveries = response.Json.Items("deliveries");
        deliveries.Count.ShouldBe(2);
        deliveries.ShouldAllBe(d => d.Str("paymentId") == id && d.Str("endpointId") == endpoint.Id && d.Str("status") == "succeeded");
        var failedFirst = deliveries.Single(d => d.Items("attempts").Count == 2).Items("attempts");
        failedFirst.Select(a => a.Int("statusCode")).ShouldBe([500L, 200L]);
        failedFirst.Select(a => a.Int("number")).ShouldBe([1L, 2L]);
        response.Body.ShouldNotContain(other);
    }

    [Fact]
    public async Task GetPayment_Unknown_Is404()
    {
        await using var sim = await SimulatorSession.StartAsync();

        var response = await sim.ControlGetAsync("_sim/payments/pay_unknown");

        response.ShouldBeError(404, "payment_not_found");
    }

    [Fact]
    public async Task Version_ChangesWithWhatTheDashboardShows_AndNotOtherwise()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sim = await SimulatorSession.StartAsync();
        async Task<string> VersionAsync()
        {
            var response = await sim.ControlGetAsync("_sim/ui/version");
            response.Status.ShouldBe(200, response.Body);
            response.Json.Prop("clock").Str("mode").ShouldBe("manual");
            return response.Json.Str("version")!;
        }

        string start = await VersionAsync();
        string again = await VersionAsync();
        var id = await sim.CreatePaymentAsync();
        string created = await VersionAsync();
        sim.Pay(id);
        string paid = await VersionAsync();
        sim.AddWebhookEndpoint(receiver.Url);
        string endpoint = await VersionAsync();
        sim.Confirm(id);
        await sim.WhenWebhooksIdleAsync();
        string delivered = await VersionAsync();
        (await sim.ControlPutAsync("_sim/faults", """{"internalErrorRate":0.5}""")).Status.ShouldBe(200);
        string faults = await VersionAsync();
        await sim.AdvanceAndDeliverAsync(TimeSpan.FromSeconds(1));
        string advanced = await VersionAsync();

        again.ShouldBe(start);
        new[] { start, created, paid, endpoint, delivered, faults, advanced }.Distinct().Count().ShouldBe(7);
    }

    [Fact]
    public async Task VersionPolls_StayOutOfTheRequestJournal()
    {
        await using var sim = await SimulatorSession.StartAsync();

        (await sim.ControlGetAsync("_sim/ui/version")).Status.ShouldBe(200);
        (await sim.ControlGetAsync("_sim/ui/version")).Status.ShouldBe(200);
        (await sim.ControlGetAsync("_sim/payments")).Status.ShouldBe(200);

        sim.Requests.Select(r => r.Path).ShouldBe(["/_sim/payments"]);
        sim.Simulator.Server.LogEntries.Select(e => e.RequestMessage.Path).ShouldBe(["/_sim/payments"]);
    }
}
