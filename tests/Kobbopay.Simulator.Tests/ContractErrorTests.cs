namespace Kobbopay.Simulator.Tests;

/// <summary>
/// A request the gateway cannot serve (no API key, an unknown payment, route or method) answers the contract's error and
/// changes nothing. One simulator serves every row; each row first makes sure a payment exists, so an unknown id is
/// unknown among payments, not looked up in an empty store.
/// </summary>
public sealed class ContractErrorTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    /// <summary>Whether the request carries the test API key, its method and path, and the error it must answer.</summary>
    public static TheoryData<bool, string, string, int, string> Refusals => new()
    {
        { false, "GET", "v1/payments", 401, "invalid_api_key" },
        { false, "GET", "v1/payments/pay_123", 401, "invalid_api_key" },
        { false, "GET", "v1/events", 401, "invalid_api_key" },
        { false, "POST", "v1/payments", 401, "invalid_api_key" },
        { true, "GET", "v1/payments/pay_doesnotexist", 404, "payment_not_found" },
        { true, "GET", "v1/payments/evt_123", 404, "payment_not_found" },
        { true, "GET", "v1/payments/x", 404, "payment_not_found" },
        { true, "GET", "v1/refunds", 404, "invalid_request" },
        { true, "DELETE", "v1/payments", 405, "invalid_request" },
        { false, "POST", "_sim/payments/pay_missing/pay", 404, "payment_not_found" },
        { false, "POST", "_sim/payments/pay_missing/confirm", 404, "payment_not_found" },
        { false, "POST", "_sim/payments/pay_missing/expire", 404, "payment_not_found" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task ARequestTheGatewayCannotServe_AnswersTheContractError_AndChangesNothing(bool apiKey, string method, string path, int status, string code)
    {
        KobbopaySimulator sim = fixture.Simulator;
        using var api = sim.CreateClient();
        using var client = apiKey ? sim.CreateClient() : sim.CreateAnonymousClient();
        await Payments.CreateAsync(api);
        int before = sim.PaymentCount;
        var body = method == "POST" ? "{}" : null;

        var response = await client.SendApiAsync(HttpClientApiExtensions.CreateJsonRequest(new HttpMethod(method), path, body, idempotencyKey: null), Sim.Ct);

        response.ShouldBeError(status, code);
        sim.PaymentCount.ShouldBe(before);
    }
}
