using System.Text.Json;

namespace Kobbopay.Simulator.Tests;

/// <summary>The payer's status page tells them to send funds only while sending still makes sense.</summary>
public sealed class StatusPageTests
{
    [Fact]
    public async Task ThePage_FollowsThePayment_ThroughEveryStatus()
    {
        await using var sim = await SimulatorSession.StartAsync();
        JsonElement payment = await sim.CreatePaymentJsonAsync(Payments.Body(amount: "3.00"));
        string id = payment.Str("id")!;
        Uri page = new(payment.Str("statusUrl")!);

        string pending = await ReadAsync(sim, page);
        sim.Pay(id, 1.25m);
        string partial = await ReadAsync(sim, page);
        sim.Pay(id, 1.75m);
        string paid = await ReadAsync(sim, page);
        sim.Confirm(id);
        string confirmed = await ReadAsync(sim, page);

        pending.ShouldContain("Payment pending");
        pending.ShouldContain("Send <b>3.00 USDT</b>");
        partial.ShouldContain("Send the remaining <b>1.75 USDT</b>");
        paid.ShouldContain("Payment paid");
        paid.ShouldNotContain("Send ", Case.Sensitive);
        paid.ShouldContain("Nothing more to send");
        confirmed.ShouldContain("Payment confirmed");
        confirmed.ShouldNotContain("Send ", Case.Sensitive);
    }

    [Fact]
    public async Task AnExpiredPayment_SaysNotToSend()
    {
        await using var sim = await SimulatorSession.StartAsync();
        JsonElement payment = await sim.CreatePaymentJsonAsync();
        sim.Expire(payment.Str("id")!);

        string expired = await ReadAsync(sim, new Uri(payment.Str("statusUrl")!));

        expired.ShouldContain("Payment expired");
        expired.ShouldContain("Do not send funds");
        expired.ShouldNotContain("Send ", Case.Sensitive);
    }

    private static async Task<string> ReadAsync(SimulatorSession sim, Uri page)
    {
        using var response = await sim.Control.GetAsync(page.PathAndQuery, Sim.Ct);
        ((int)response.StatusCode).ShouldBe(200);
        return await response.Content.ReadAsStringAsync(Sim.Ct);
    }
}
