using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Kobbopay.Webhooks;

namespace Kobbopay.Simulator.BrowserTests;

/// <summary>
/// The dashboard in a real Chromium against a simulator in process: what a QA engineer sees and clicks. Every wait is
/// Playwright's auto-waiting expectation (the page polls the simulator about once a second); no sleeps. Each state is
/// written to artifacts/screenshots.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class DashboardBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task APaymentCreatedThroughTheApi_AppearsWithoutAReload()
    {
        await using var session = await DashboardSession.StartAsync(browser);
        await Expect(session.Page.GetByText("No payments yet.")).ToBeVisibleAsync();
        await Screenshots.TakeAsync(session.Page, "dashboard-empty");

        string id = await session.CreatePaymentAsync("12.34");

        var row = session.PaymentRow(id);
        await Expect(row).ToBeVisibleAsync();
        await Expect(row.Locator("td.status")).ToHaveTextAsync("pending");
        await Expect(row).ToContainTextAsync("12.34");
        await Expect(row).ToContainTextAsync("USDT / example-network");
        await Expect(session.Page.GetByText("No payments yet.")).ToBeHiddenAsync();
        await Screenshots.TakeAsync(session.Page, "payment-appeared");
    }

    [Fact]
    public async Task PayThenConfirm_ShowsTheConfirmedPayment_AndEachDeliveryWithTheEndpointsAnswer()
    {
        await using var session = await DashboardSession.StartAsync(browser, answers: [200]);
        string id = await session.CreateAndSelectAsync();

        await session.ClickAsync("Pay in full");
        await Expect(session.DetailStatus).ToHaveTextAsync("paid");
        await Expect(session.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"{id} pay: now paid.");
        await session.ClickAsync("Confirm");

        await Expect(session.DetailStatus).ToHaveTextAsync("confirmed");
        await Expect(session.PaymentRow(id).Locator("td.status")).ToHaveTextAsync("confirmed");
        await Expect(session.Page.Locator("#events-table tbody tr td:nth-child(2)")).ToHaveTextAsync(["payment.created", "payment.paid", "payment.confirmed"]);
        await Expect(session.AttemptRows.Locator("td:nth-child(2)")).ToHaveTextAsync(["payment.created", "payment.paid", "payment.confirmed"]);
        await Expect(session.AttemptRows.Locator("td.code")).ToHaveTextAsync(["200", "200", "200"]);
        await Expect(session.AttemptRows.Locator("td:nth-child(4)")).ToHaveTextAsync(["succeeded", "succeeded", "succeeded"]);
        await Screenshots.TakeAsync(session.Page, "payment-confirmed-with-deliveries");
    }

    [Fact]
    public async Task Redeliver_AddsANewAttempt()
    {
        await using var session = await DashboardSession.StartAsync(browser, answers: [200]);
        string id = await session.CreatePaymentAsync();
        await session.Simulator.WhenWebhooksIdleAsync(DashboardSession.Ct);
        string delivery = session.Simulator.Deliveries.Single(d => d.PaymentId == id).Id;
        await Expect(session.PaymentRow(id)).ToBeVisibleAsync();
        await session.SelectAsync(id);
        await Expect(session.Page.Locator($"tr[data-delivery='{delivery}'][data-attempt='1'] td.code")).ToHaveTextAsync("200");

        await session.ClickAsync("Redeliver " + delivery);

        var second = session.Page.Locator($"tr[data-delivery='{delivery}'][data-attempt='2']");
        await Expect(second).ToBeVisibleAsync();
        await Expect(second.Locator("td.code")).ToHaveTextAsync("200");
        await Expect(session.AttemptRows).ToHaveCountAsync(2);
        await Screenshots.TakeAsync(session.Page, "redelivered");
    }

    [Fact]
    public async Task ResendToAUrl_DeliversTheSameSignedBytesThere_AndResendWithoutOne_GoesToTheEndpointAgain()
    {
        await using var session = await DashboardSession.StartAsync(browser, answers: [200]);
        await using Receiver other = await Receiver.StartAsync(200, DashboardSession.Ct);
        string id = await session.CreatePaymentAsync();
        await session.Simulator.WhenWebhooksIdleAsync(DashboardSession.Ct);
        SimulatedDelivery original = session.Simulator.Deliveries.Single(d => d.PaymentId == id);
        SimulatedWebhookEndpoint endpoint = session.Simulator.WebhookEndpoints.Single();
        await Expect(session.PaymentRow(id)).ToBeVisibleAsync();
        await session.SelectAsync(id);
        await Expect(session.AttemptRows.Locator("td.code")).ToHaveTextAsync(["200"]);

        await session.Page.GetByLabel("Resend to URL (optional)").FillAsync(other.Url.ToString());
        await session.ClickAsync("Resend " + original.EventId);

        await Expect(session.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Resent {original.EventId} to {other.Url}: 1 delivery(ies).");
        await session.Simulator.WhenWebhooksIdleAsync(DashboardSession.Ct);
        SimulatedDelivery toUrl = session.Simulator.Deliveries.Single(d => d.Url == other.Url);
        toUrl.EventId.ShouldBe(original.EventId);
        toUrl.EndpointId.ShouldBeNull();
        var row = session.Page.Locator($"tr[data-delivery='{toUrl.Id}'][data-attempt='1']");
        await Expect(row.Locator("td.code")).ToHaveTextAsync("200");
        await Expect(row.Locator("td:nth-child(2)")).ToHaveTextAsync("payment.created");
        await Expect(row.Locator("td.target")).ToHaveTextAsync(other.Url + "one-off address");
        await Expect(session.Page.Locator($"tr[data-delivery='{original.Id}'] td.target")).ToHaveTextAsync(endpoint.Url + endpoint.Id);
        await Expect(session.Page.Locator($"tr[data-delivery='{original.Id}'] td.target")).ToHaveAttributeAsync("title", "Endpoint " + endpoint.Id);
        var got = other.Got.ShouldHaveSingleItem();
        got.Body.ShouldBe(session.Receivers[0].Got.ShouldHaveSingleItem().Body, "the same bytes as the first delivery");
        new HmacSha256HexSignatureScheme([endpoint.Secret]).Verify(got.Body, new WebhookHeaders(got.Headers)).IsValid.ShouldBeTrue();

        await session.Page.GetByLabel("Resend to URL (optional)").FillAsync(string.Empty);
        await session.ClickAsync("Resend " + original.EventId);

        await Expect(session.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Resent {original.EventId}: 1 delivery(ies).");
        await session.Simulator.WhenWebhooksIdleAsync(DashboardSession.Ct);
        SimulatedDelivery again = session.Simulator.Deliveries.Single(d => d.PaymentId == id && d.Id != original.Id && d.Id != toUrl.Id);
        again.EndpointId.ShouldBe(endpoint.Id);
        await Expect(session.Page.Locator($"tr[data-delivery='{again.Id}'][data-attempt='1'] td.code")).ToHaveTextAsync("200");
        await Expect(session.AttemptRows).ToHaveCountAsync(3);
        session.Receivers[0].Got.Count.ShouldBe(2);
        other.Got.Count.ShouldBe(1);
        await Screenshots.TakeAsync(session.Page, "resent-to-url");
    }

    [Fact]
    public async Task ShowRequest_ShowsTheLastAttemptsHeaders_AndTheBody_AndStaysOpenAcrossUpdates()
    {
        List<string> console = [];
        await using var session = await DashboardSession.StartAsync(browser, answers: [200]);
        session.Page.Console += (_, message) => console.Add(message.Text);
        string id = await session.CreatePaymentAsync();
        await session.Simulator.WhenWebhooksIdleAsync(DashboardSession.Ct);
        SimulatedDelivery delivery = session.Simulator.Deliveries.Single(d => d.PaymentId == id);
        string signature = delivery.Attempts.Single().RequestHeaders["x-signature"];
        await Expect(session.PaymentRow(id)).ToBeVisibleAsync();
        await session.SelectAsync(id);
        var request = session.Page.Locator($"tr[data-request-for='{delivery.Id}']");
        await Expect(request.Locator("pre.request-headers")).ToBeHiddenAsync();

        await request.GetByText("Show request").ClickAsync();

        await Expect(request.Locator("pre.request-headers")).ToBeVisibleAsync();
        await Expect(request.Locator("pre.request-headers")).ToContainTextAsync($"x-delivery-id: {delivery.Attempts[0].DeliveryAttemptId}");
        await Expect(request.Locator("pre.request-headers")).ToContainTextAsync($"x-event-id: {delivery.EventId}");
        await Expect(request.Locator("pre.request-body")).ToContainTextAsync($"\"id\": \"{delivery.EventId}\"");
        await Expect(request.Locator("pre.request-body")).ToContainTextAsync("\n  \"type\": \"payment.created\"");
        await Screenshots.TakeAsync(session.Page, "request-details");

        await session.ClickAsync("Redeliver " + delivery.Id);

        await Expect(session.AttemptRows).ToHaveCountAsync(2);
        string second = session.Simulator.Deliveries.Single(d => d.Id == delivery.Id).Attempts[1].DeliveryAttemptId;
        await Expect(request.Locator("figcaption").First).ToHaveTextAsync("Headers of attempt 2");
        await Expect(request.Locator("pre.request-headers")).ToBeVisibleAsync(); // still open after the re-render
        await Expect(request.Locator("pre.request-headers")).ToContainTextAsync($"x-delivery-id: {second}");
        (await session.Page.TitleAsync()).ShouldBe("Kobbopay simulator dashboard");
        console.ShouldAllBe(line => !line.Contains(signature) && !line.Contains(delivery.EventId));
    }

    [Fact]
    public async Task AFailingEndpoint_ShowsItsAnswer_AndARefusedOne_ItsError()
    {
        Uri refused = new($"http://127.0.0.1:{FreePort()}/hook");
        await using var session = await DashboardSession.StartAsync(browser, answers: [500], otherEndpoints: [refused]);
        string id = await session.CreatePaymentAsync();
        await session.Simulator.WhenWebhooksIdleAsync(DashboardSession.Ct);
        var deliveries = session.Simulator.Deliveries.Where(d => d.PaymentId == id).ToList();
        string toFailing = deliveries.Single(d => d.EndpointId == session.Simulator.WebhookEndpoints[0].Id).Id;
        string toRefused = deliveries.Single(d => d.EndpointId == session.Simulator.WebhookEndpoints[1].Id).Id;
        await Expect(session.PaymentRow(id)).ToBeVisibleAsync();

        await session.SelectAsync(id);

        var failed = session.Page.Locator($"tr[data-delivery='{toFailing}'][data-attempt='1']");
        await Expect(failed.Locator("td.code")).ToHaveTextAsync("500");
        await Expect(failed.Locator("td:nth-child(4)")).ToHaveTextAsync("pending"); // a retry is scheduled
        var unreachable = session.Page.Locator($"tr[data-delivery='{toRefused}'][data-attempt='1']");
        await Expect(unreachable.Locator("td.code")).ToHaveTextAsync("no answer");
        await Expect(unreachable.Locator("td.error-text")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^ConnectionError: Connection refused"));
        await Screenshots.TakeAsync(session.Page, "failing-endpoint");
    }

    [Fact]
    public async Task TheStatusFilter_ShowsOnlyThatStatus()
    {
        await using var session = await DashboardSession.StartAsync(browser);
        string pending = await session.CreatePaymentAsync();
        string paid = await session.CreatePaymentAsync();
        session.Simulator.Pay(paid);
        await Expect(session.PaymentRow(pending)).ToBeVisibleAsync();
        await Expect(session.PaymentRow(paid).Locator("td.status")).ToHaveTextAsync("paid");

        await session.Page.GetByLabel("Status filter").SelectOptionAsync("paid");

        await Expect(session.Page.Locator("#payments-table tbody tr")).ToHaveCountAsync(1);
        await Expect(session.PaymentRow(paid)).ToBeVisibleAsync();
        await Expect(session.PaymentRow(pending)).ToHaveCountAsync(0);
        await Screenshots.TakeAsync(session.Page, "filtered-paid");
    }

    [Fact]
    public async Task WithAnAdminToken_ThePageAsksForIt_AndThenShowsTheData()
    {
        const string Token = "dashboard-admin-token-0123456789";
        await using var session = await DashboardSession.StartAsync(browser, adminToken: Token);
        string id = await session.CreatePaymentAsync();

        await Expect(session.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("needs its admin token (401)");
        var field = session.Page.GetByLabel("Admin token", new() { Exact = true });
        await Expect(field).ToBeVisibleAsync();
        await Expect(session.PaymentRow(id)).ToHaveCountAsync(0);
        await Screenshots.TakeAsync(session.Page, "admin-token-asked");

        await field.FillAsync(Token);
        await session.ClickAsync("Use token");

        await Expect(session.PaymentRow(id)).ToBeVisibleAsync();
        await Expect(session.Page.GetByRole(AriaRole.Alert)).ToBeHiddenAsync();
        (await session.Page.EvaluateAsync<string>("() => sessionStorage.getItem('kobbopay.simulator.adminToken')")).ShouldBe(Token);
        await Screenshots.TakeAsync(session.Page, "admin-token-accepted");
    }

    [Fact]
    public async Task AControlApiError_IsShownWithItsMessage()
    {
        await using var session = await DashboardSession.StartAsync(browser);
        string id = await session.CreateAndSelectAsync();

        await session.ClickAsync("Confirm");

        // Confirming a pending payment is refused (409 invalid_transition): the page shows the API's error.message.
        await Expect(session.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("failed (409)");
        await Expect(session.DetailStatus).ToHaveTextAsync("pending");
    }

    [Fact]
    public async Task EveryControl_HasAnAccessibleName_AndThePageHasLandmarksAndHeadings()
    {
        await using var session = await DashboardSession.StartAsync(browser, answers: [200]);
        string id = await session.CreateAndSelectAsync();
        await Expect(session.AttemptRows.Locator("td.code")).ToHaveTextAsync(["200"]);

        // The browser's accessibility tree: every button, text field, number field and list box has a name.
        string tree = await session.Page.Locator("body").AriaSnapshotAsync();
        string[] controls = [.. tree.Split('\n').Where(line => ControlLine().IsMatch(line))];
        controls.Length.ShouldBeGreaterThan(20, tree);
        controls.Where(line => !NamedControlLine().IsMatch(line)).ShouldBeEmpty(tree);

        // Each labelled field is found by its label, as a screen reader user would reach it.
        foreach (string label in (string[])["Seconds to advance", "Status filter", "Partial amount", "Resend to URL (optional)", "Seed", "Latency (ms)", "Duplicate rate", "Reorder rate"])
        {
            await Expect(session.Page.GetByLabel(label, new() { Exact = true })).ToHaveCountAsync(1);
        }

        await Expect(session.Page.GetByRole(AriaRole.Main)).ToHaveCountAsync(1);
        await Expect(session.Page.GetByRole(AriaRole.Banner)).ToHaveCountAsync(1);
        await Expect(session.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Kobbopay simulator");
        await Expect(session.Page.GetByRole(AriaRole.Table, new() { Name = "Payments, newest first" }).GetByRole(AriaRole.Columnheader)).ToHaveCountAsync(7);
        await Expect(session.Page.GetByRole(AriaRole.Status)).ToHaveCountAsync(1);
        await Screenshots.TakeAsync(session.Page, "dashboard-overview", fullPage: false); // docs/images/dashboard.png
    }

    private static int FreePort()
    {
        using TcpListener listener = new(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"^\s*- (button|textbox|spinbutton|combobox)\b")]
    private static partial Regex ControlLine();

    [GeneratedRegex(@"^\s*- (button|textbox|spinbutton|combobox) ""[^""]+""")]
    private static partial Regex NamedControlLine();
}
