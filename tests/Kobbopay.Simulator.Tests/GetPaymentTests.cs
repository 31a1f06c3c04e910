namespace Kobbopay.Simulator.Tests;

public sealed class GetPaymentTests
{
    [Fact]
    public async Task Get_CreatedPayment_ReturnsTheSameBodyAsTheCreate()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var created = await sim.PostPaymentAsync(Payments.Body(metadata: new Dictionary<string, string> { ["cart"] = "42" }));
        var id = created.Json.Str("id")!;

        var response = await sim.GetAsync($"v1/payments/{id}");

        response.Status.ShouldBe(200, response.Body);
        response.ShouldHaveRequestId();
        response.Body.ShouldBe(created.Body);
    }

    [Fact]
    public async Task Get_AfterStateChange_ReturnsTheCurrentState()
    {
        await using var sim = await SimulatorSession.StartAsync();
        var id = await sim.CreatePaymentAsync();
        sim.Clock.Advance(TimeSpan.FromMinutes(1));
        sim.Pay(id, txHash: "0xabc");

        var payment = await sim.ReadPaymentAsync(id);

        payment.Str("status").ShouldBe("paid");
        payment.Str("txHash").ShouldBe("0xabc");
        payment.Time("updatedAt").ShouldBe(Sim.Start.AddMinutes(1));
        payment.Time("createdAt").ShouldBe(Sim.Start);
    }

    [Fact]
    public async Task GetPayment_InProcessUnknownId_ThrowsPaymentNotFound()
    {
        await using var sim = await SimulatorSession.StartAsync();

        var exception = Should.Throw<SimulatorException>(() => sim.GetPayment("pay_missing"));

        exception.Code.ShouldBe("payment_not_found");
    }
}
