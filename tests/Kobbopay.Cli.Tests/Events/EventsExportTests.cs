namespace Kobbopay.Cli.Tests.Events;

public sealed class EventsExportTests
{
    [Fact]
    public async Task Export_RerunFromThePrintedCursor_WritesEachEventOnceWithNoGap()
    {
        await using SimulatorCli cli = await SimulatorCli.StartAsync();
        Payment[] payments = await cli.CreatePaymentsAsync("order-1", "order-2", "order-3");

        // Three events, two a page: the run ends on a last page it wrote part of.
        CliRun run1 = await cli.RunAsync("events", "export", "--page-size", "2");
        cli.Simulator.Pay(payments[0].Id);
        await cli.CreatePaymentAsync("order-4");
        CliRun run2 = await cli.RunAsync("events", "export", "--page-size", "2", "--since-cursor", CursorOf(run1));
        CliRun run3 = await cli.RunAsync("events", "export", "--page-size", "2", "--since-cursor", CursorOf(run2));

        (run1.ExitCode, run2.ExitCode, run3.ExitCode).ShouldBe((0, 0, 0));
        string[] all = await AllEventIdsAsync(cli.Client);
        all.Length.ShouldBe(5);
        EventIds(run1).ShouldBe(all[..3]);
        EventIds(run2).ShouldBe(all[3..]);
        EventIds(run3).ShouldBeEmpty();
        run3.Err.ShouldContain("exported 0 event(s)");
    }

    [Fact]
    public async Task Export_ToAFile_RerunContinuesFromTheFilesCursor()
    {
        await using SimulatorCli cli = await SimulatorCli.StartAsync();
        string directory = Directory.CreateTempSubdirectory("kobbopay-cli-").FullName;
        string file = Path.Combine(directory, "events.jsonl");
        try
        {
            Payment payment = await cli.CreatePaymentAsync("order-1");
            CliRun run1 = await cli.RunAsync("events", "export", "--out", file, "--page-size", "1");
            cli.Simulator.Pay(payment.Id, 1.00m);
            cli.Simulator.Pay(payment.Id);
            CliRun run2 = await cli.RunAsync("events", "export", "--out", file, "--page-size", "1");

            (run1.ExitCode, run2.ExitCode).ShouldBe((0, 0));
            run1.Out.ShouldBeEmpty();
            string[] lines = await File.ReadAllLinesAsync(file, TestContext.Current.CancellationToken);
            lines.Select(l => KobbopaySerializer.DeserializePaymentEvent(System.Text.Encoding.UTF8.GetBytes(l)).Id).ShouldBe(await AllEventIdsAsync(cli.Client));
            lines.Length.ShouldBe(3);
            File.ReadAllText(file + ".cursor").ShouldBe(CursorOf(run2));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Export_ShowsProgressOnlyWhenStandardErrorIsATerminal()
    {
        await using SimulatorCli cli = await SimulatorCli.StartAsync();
        await cli.CreatePaymentAsync("order-1");

        CliRun redirected = await CliRun.RunAsync(cli.Environment, ["events", "export"]);
        CliRun terminal = await CliRun.RunAsync(cli.Environment, ["events", "export"], terminal: true);

        redirected.Err.ShouldNotContain("\r");
        terminal.ErrPlain.ShouldContain("\rexported 1 event(s)…");
        terminal.Out.ShouldBe(redirected.Out);
    }

    [Fact]
    public async Task Export_MalformedResumeCursor_ExitsTwoNamingTheOption()
    {
        await using SimulatorCli cli = await SimulatorCli.StartAsync();

        CliRun run = await cli.RunAsync("events", "export", "--since-cursor", "resume.not-valid");

        run.ExitCode.ShouldBe(2);
        run.Err.ShouldContain("--since-cursor is not a cursor this command printed.");
    }

    private static string CursorOf(CliRun run) =>
        run.Err.Split('\n').Single(l => l.Contains("; cursor ", StringComparison.Ordinal)).Split("; cursor ")[1].Trim();

    private static string[] EventIds(CliRun run) =>
        [.. run.OutLines.Select(l => KobbopaySerializer.DeserializePaymentEvent(System.Text.Encoding.UTF8.GetBytes(l)).Id!)];

    private static async Task<string[]> AllEventIdsAsync(KobbopayClient client)
    {
        List<string> ids = [];
        await foreach (PaymentEvent e in client.ListEventsAsync(cancellationToken: TestContext.Current.CancellationToken))
        {
            ids.Add(e.Id!);
        }

        return [.. ids];
    }
}
