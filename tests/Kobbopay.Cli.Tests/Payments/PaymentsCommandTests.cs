namespace Kobbopay.Cli.Tests.Payments;

public sealed class PaymentsCommandTests
{
    [Fact]
    public async Task History_PaidInTwoPartsThenConfirmed_PrintsThatPaymentsEventsInSequence()
    {
        await using SimulatorCli cli = await SimulatorCli.StartAsync();
        Payment payment = await cli.CreatePaymentAsync("order-history");
        Payment other = await cli.CreatePaymentAsync("order-other");
        cli.Simulator.Pay(payment.Id, 4.00m);
        cli.Simulator.Pay(other.Id);
        cli.Simulator.Pay(payment.Id, 6.00m);
        cli.Simulator.Confirm(payment.Id);

        CliRun run = await cli.RunAsync("payments", "history", payment.Id);

        run.ExitCode.ShouldBe(0, run.Err);
        string[] events = [.. run.OutLines.Where(l => l.Contains(" payment.", StringComparison.Ordinal))];
        events.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is var f ? $"{f[0]} {f[2]} {f[^1]}" : null).ShouldBe(
        [
            "1 payment.created -",
            "2 payment.updated 4.00",
            "3 payment.paid 10.00",
            "4 payment.confirmed 10.00",
        ]);
        run.OutLines[0].ShouldStartWith($"payment {payment.Id}  order order-history  confirmed  10.00 USDT");
        run.Out.ShouldNotContain(other.Id);
        run.OutLines[^1].ShouldBe("4 event(s)");
    }

    [Fact]
    public async Task Get_PrintsThePaymentAsLines_AndAsTheGatewaysJson()
    {
        await using SimulatorCli cli = await SimulatorCli.StartAsync();
        Payment payment = await cli.CreatePaymentAsync("order-get");
        cli.Simulator.Pay(payment.Id, 2.50m);

        CliRun lines = await cli.RunAsync("payments", "get", payment.Id);
        CliRun json = await cli.RunAsync("payments", "get", payment.Id, "--json");

        lines.ExitCode.ShouldBe(0, lines.Err);
        lines.OutLines.ShouldContain($"id            {payment.Id}");
        lines.OutLines.ShouldContain("status        pending");
        lines.OutLines.ShouldContain("amount        10.00 USDT on example-network");
        lines.OutLines.ShouldContain("received      2.50 USDT");
        json.ExitCode.ShouldBe(0, json.Err);
        Payment read = KobbopaySerializer.DeserializePayment(System.Text.Encoding.UTF8.GetBytes(json.Out));
        (read.Id, read.Status.Value, read.AmountReceived).ShouldBe((payment.Id, "pending", 2.50m));
    }

    [Fact]
    public async Task Get_UnknownPayment_ExitsTwoWithTheGatewaysError()
    {
        await using SimulatorCli cli = await SimulatorCli.StartAsync();

        CliRun run = await cli.RunAsync("payments", "get", "pay_missing");

        run.ExitCode.ShouldBe(2);
        run.Err.ShouldContain("404 payment_not_found");
    }
}
