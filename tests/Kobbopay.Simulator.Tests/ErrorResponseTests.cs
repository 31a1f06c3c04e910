namespace Kobbopay.Simulator.Tests;

public sealed class ErrorResponseTests
{
    [Fact]
    public async Task EveryResponse_CarriesADistinctRequestId()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var (client, anonymous) = (sim.Api, sim.Control);

        ApiResponse[] responses =
        [
            await Payments.PostAsync(client, Payments.Body()),
            await Payments.PostAsync(client, "{"),
            await client.GetApiAsync("v1/payments", Sim.Ct),
            await client.GetApiAsync("v1/payments/pay_missing", Sim.Ct),
            await client.GetApiAsync("v1/events", Sim.Ct),
            await client.GetApiAsync("v1/payments?limit=0", Sim.Ct),
            await anonymous.GetApiAsync("v1/payments", Sim.Ct),
            await client.GetApiAsync("v1/nothing-here", Sim.Ct),
            await anonymous.GetApiAsync("_sim/clock", Sim.Ct),
            await anonymous.PostJsonAsync("_sim/payments/pay_missing/pay", "{}", Sim.Ct),
        ];

        var ids = responses.Select(r => r.ShouldHaveRequestId()).ToList();
        ids.Distinct().Count().ShouldBe(ids.Count);
    }

    [Fact]
    public async Task ErrorBody_HasCodeMessageParamAndTheHeadersRequestId()
    {
        await using var sim = await SimulatorSession.StartAsync();

        var response = await sim.PostPaymentAsync(Payments.Body(amount: "-5"));

        var error = response.ShouldBeError(400, "invalid_request", "amount");
        response.Json.EnumerateObject().Select(p => p.Name).ShouldBe(["error"]);
        error.EnumerateObject().Select(p => p.Name).ShouldBe(["code", "message", "param", "requestId"], ignoreOrder: true);
        response.Header("content-type")!.ShouldStartWith("application/json");
    }
}
