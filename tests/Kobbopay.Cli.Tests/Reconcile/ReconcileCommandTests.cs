using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Kobbopay.Cli.Tests.Reconcile;

public sealed class ReconcileCommandTests
{
    [Theory]
    [InlineData("orderId,amount,currency\n", 1, "the header must be orderId,amount,currency,status; it is orderId,amount,currency.")]
    [InlineData("", 1, "the file is empty; it must start with the header orderId,amount,currency,status.")]
    [InlineData(Header + "o-1,10.00,USDT,paid\no-2,10.00,USDT\n", 3, "3 field(s); a record has 4: orderId,amount,currency,status.")]
    [InlineData(Header + "o-1,ten,USDT,paid\n", 2, "amount 'ten' is not an invariant decimal such as 10.50.")]
    [InlineData(Header + "o-1,0,USDT,paid\n", 2, "amount 0 must be more than 0.")]
    [InlineData(Header + ",10.00,USDT,paid\n", 2, "orderId is empty.")]
    [InlineData(Header + "o-1,10.00,,paid\n", 2, "currency is empty.")]
    [InlineData(Header + "o-1,10.00,USDT,paid\no-2,10.00,USDT,paid\no-1,10.00,USDT,paid\n", 4, "order o-1 is already on line 2; an order id appears once.")]
    [InlineData(Header + "\"o-1, \"\"quoted\"\"\nsecond line\",10.00,USDT,paid\n\no-2,-1,USDT,paid\n", 5, "amount '-1' is not an invariant decimal such as 10.50.")]
    [InlineData(Header + "\"o-1,10.00,USDT,paid\n", 2, "a quoted field is not closed.")]
    [InlineData(Header + "o-\"1\",10.00,USDT,paid\n", 2, "field 1 holds a quote but is not quoted (RFC 4180: quote the field and double the quote).")]
    public async Task Reconcile_MalformedOrdersLine_ExitsTwoNamingTheFileAndLine_BeforeAnyOutput(string text, int line, string problem)
    {
        using TempDirectory files = new();
        string orders = files.Write("orders.csv", text);

        // An unreachable gateway: the file is checked whole before the gateway is called at all.
        CliRun run = await CliRun.RunAsync(Unreachable, ["reconcile", "--orders", orders, "--json", files.File("report.json")]);

        run.ExitCode.ShouldBe(2);
        run.Err.Trim().ShouldBe($"{orders}, line {line}: {problem}");
        run.Out.ShouldBeEmpty();
        File.Exists(files.File("report.json")).ShouldBeFalse();
    }

    [Fact]
    public async Task Reconcile_OneDiscrepancyOfEachKind_TheTableAndTheReportsNameEach_ExitsOne()
    {
        using TempDirectory files = new();
        await using SimulatorCli cli = await SimulatorCli.StartAsync();
        DateTimeOffset start = cli.Simulator.Clock.GetUtcNow();
        // Windows that close: an underpayment left to expire, and funds that arrive after expiry.
        cli.Simulator.Pay((await cli.CreatePaymentAsync("o-under")).Id, 4.00m);
        Payment late = await cli.CreatePaymentAsync("o-late");
        cli.Simulator.Clock.Advance(TimeSpan.FromMinutes(16));
        cli.Simulator.Pay(late.Id, 6.00m);
        Payment orphan = await cli.CreatePaymentAsync("o-orphan");
        Payment[] duplicates = await cli.CreatePaymentsAsync("o-dup", "o-dup");
        Payment status = await cli.CreatePaymentAsync("o-status");
        cli.Simulator.Pay(status.Id);
        cli.Simulator.Confirm(status.Id);
        cli.Simulator.Pay((await cli.CreatePaymentAsync("o-over")).Id, 12.00m);
        await cli.CreatePaymentAsync("o-currency");
        cli.Simulator.Pay((await cli.CreatePaymentAsync("o-unmapped")).Id);
        string orders = files.Write("orders.csv", Header + """
            o-under,10.00,USDT,expired
            o-late,10.00,USDT,expired
            o-missing,10.00,USDT,pending
            o-dup,10.00,USDT,pending
            o-status,10.00,USDT,pending
            o-over,10.00,USDT,paid
            o-currency,10.00,USDC,pending
            o-unmapped,10.00,USDT,shipped
            """);

        CliRun run = await cli.RunOnItsClockAsync(
            "reconcile", "--orders", orders, "--from", Rfc3339(start.AddMinutes(-1)), "--to", Rfc3339(start.AddHours(1)), "--json", files.File("report.json"), "--csv", files.File("report.csv"));

        run.ExitCode.ShouldBe(1, run.Err);
        (string Kind, string Order)[] expected =
        [
            ("amount_mismatch", "o-over"), ("amount_mismatch", "o-under"), ("currency_mismatch", "o-currency"), ("duplicate_payment", "o-dup"),
            ("late_payment", "o-late"), ("missing_payment", "o-missing"), ("orphan_payment", "o-orphan"), ("status_mismatch", "o-status"), ("unmapped_status", "o-unmapped"),
        ];
        Cells(run.OutLines[0]).ShouldBe(["kind", "order", "payments", "expected", "actual"]);
        string[] rows = run.OutLines[1..^1];
        // Every row splits into its five cells on two or more spaces, even where a value is wider than its column.
        rows.ShouldAllBe(r => Cells(r).Length == 5, string.Join('\n', rows));
        rows.Select(r => (Cells(r)[0], Cells(r)[1])).Order().ShouldBe(expected);
        Row(rows, "duplicate_payment")[2..].ShouldBe([$"{duplicates[1].Id},{duplicates[0].Id}", "1", "2"]);
        Row(rows, "late_payment")[2].ShouldBe(late.Id);
        Row(rows, "orphan_payment")[2..].ShouldBe([orphan.Id, "an order in the books", "no such order"]);
        Row(rows, "status_mismatch")[^2..].ShouldBe(["pending", "confirmed"]);
        Row(rows, "missing_payment")[2..].ShouldBe(["-", "1", "0"]);
        Row(rows, "unmapped_status")[3..].ShouldBe(["a status of mapping kobbopay-identity-1", "shipped"]);
        run.OutLines[^1].ShouldBe(
            "9 exception(s): amount_mismatch 2, currency_mismatch 1, duplicate_payment 1, late_payment 1, missing_payment 1, orphan_payment 1, status_mismatch 1, unmapped_status 1; "
            + $"8 order(s) and 9 payment(s) from {Rfc3339(start.AddMinutes(-1))} to {Rfc3339(start.AddHours(1))}, status mapping kobbopay-identity-1.");

        using JsonDocument report = JsonDocument.Parse(await File.ReadAllBytesAsync(files.File("report.json"), TestContext.Current.CancellationToken));
        report.RootElement.GetProperty("exceptions").EnumerateArray()
            .Select(e => (e.GetProperty("kind").GetString()!, e.GetProperty("orderId").GetString()!)).Order().ShouldBe(expected);
        JsonElement lateReport = report.RootElement.GetProperty("exceptions").EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "late_payment");
        lateReport.GetProperty("history").EnumerateArray().Select(e => e.GetProperty("type").GetString()).ShouldBe(["payment.created", "payment.expired", "payment.late_payment"]);
        report.RootElement.GetProperty("summary").GetProperty("exceptionCount").GetInt32().ShouldBe(9);
        string[] csv = await File.ReadAllLinesAsync(files.File("report.csv"), TestContext.Current.CancellationToken);
        csv[0].ShouldBe("kind,orderId,paymentIds,expected,actual,detail,history");
        csv[1..].Select(l => l.Split(',')[0]).Order().ShouldBe(expected.Select(e => e.Kind));

        string key = cli.Environment["KOBBOPAY_API_KEY"];
        new[] { run.Out, run.Err, report.RootElement.GetRawText(), string.Join('\n', csv) }.ShouldAllBe(text => !text.Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reconcile_OrdersThatMatchUnderAStatusMap_OverTheDefaultPeriod_PrintsNoExceptionsAndExitsZero()
    {
        await using SimulatorCli cli = await SimulatorCli.StartAsync();
        using TempDirectory files = new();
        Payment confirmed = await cli.CreatePaymentAsync("o-done");
        cli.Simulator.Pay(confirmed.Id);
        cli.Simulator.Confirm(confirmed.Id);
        cli.Simulator.Pay((await cli.CreatePaymentAsync("o-funded")).Id);
        await cli.CreatePaymentAsync("o-awaiting");
        cli.Simulator.Clock.Advance(TimeSpan.FromSeconds(1));
        DateTimeOffset now = cli.Simulator.Clock.GetUtcNow();
        string orders = files.Write("orders.csv", Header + "o-done,10.00,USDT,done\no-funded,10,USDT,funded\no-awaiting,10.0,USDT,awaiting\n");
        string map = files.Write("map.json", """{"version":"shop-2026-11","statuses":{"awaiting":"pending","funded":"paid","done":"confirmed","lapsed":"expired"}}""");

        CliRun run = await cli.RunOnItsClockAsync("reconcile", "--orders", orders, "--status-map", map, "--json", files.File("report.json"));

        run.ExitCode.ShouldBe(0, run.Out + run.Err);
        run.OutLines.ShouldBe([$"no exceptions: 3 order(s) and 3 payment(s) from {Rfc3339(now.AddDays(-30))} to {Rfc3339(now)}, status mapping shop-2026-11."]);
        using JsonDocument report = JsonDocument.Parse(await File.ReadAllBytesAsync(files.File("report.json"), TestContext.Current.CancellationToken));
        report.RootElement.GetProperty("exceptions").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Reconcile_ShowsLiveCountsOnlyWhenStandardErrorIsATerminal_EndingOnTheSummarysCounts()
    {
        await using SimulatorCli cli = await SimulatorCli.StartAsync();
        using TempDirectory files = new();
        await cli.CreatePaymentAsync("o-paying");
        await cli.CreatePaymentAsync("o-orphan");
        cli.Simulator.Clock.Advance(TimeSpan.FromSeconds(1));
        string[] args = ["reconcile", "--orders", files.Write("orders.csv", Header + "o-paying,10.00,USDT,pending\no-missing,10.00,USDT,pending\n")];

        CliRun redirected = await CliRun.RunAsync(cli.Environment, args, clock: cli.Simulator.Clock);
        CliRun terminal = await CliRun.RunAsync(cli.Environment, args, terminal: true, clock: cli.Simulator.Clock);

        (redirected.ExitCode, terminal.ExitCode).ShouldBe((1, 1));
        redirected.Err.ShouldBeEmpty();
        terminal.Out.ShouldBe(redirected.Out);
        redirected.OutLines[^1].ShouldStartWith("2 exception(s): missing_payment 1, orphan_payment 1; 2 order(s) and 2 payment(s) from ");
        // Each count as it rises, the last one the summary's; the line is erased at the end.
        string[] drawn = terminal.ErrPlain.Split('\r');
        drawn.Where(line => line.Trim().Length > 0).ShouldBe(
            new[] { (1, 0, 0), (2, 0, 0), (2, 0, 1), (2, 1, 1), (2, 1, 2), (2, 2, 2) }
                .Select(c => $"reconciling: {c.Item1} order(s), {c.Item2} payment(s) checked, {c.Item3} exception(s)…"));
        drawn[^1].Trim().ShouldBeEmpty();
    }

    [Theory]
    [InlineData("""{"version":"v1","statuses":{"paid":"paid"}""", ": not valid JSON of the map's shape at $")]
    [InlineData("""{"statuses":{"paid":"paid"}}""", ": \"version\" is missing or empty")]
    [InlineData("""{"version":"v1"}""", ": \"statuses\" is missing or empty")]
    [InlineData("""{"version":"v1","statuses":{"paid":"settled"}}""", ": statuses.\"paid\" is 'settled', which is not a gateway status: pending, paid, confirmed or expired.")]
    [InlineData("""{"version":"v1","status":{"paid":"paid"}}""", ": an unknown key at $.status")]
    [InlineData("""{"version":"v1","statuses":{"paid":"paid","paid":"confirmed"}}""", ": a key given twice at $.statuses")]
    public async Task Reconcile_BadStatusMap_ExitsTwoNamingTheFileAndTheKey(string json, string message)
    {
        using TempDirectory files = new();
        string orders = files.Write("orders.csv", Header + "o-1,10.00,USDT,paid\n");
        string map = files.Write("map.json", json);

        CliRun run = await CliRun.RunAsync(Unreachable, ["reconcile", "--orders", orders, "--status-map", map]);

        run.ExitCode.ShouldBe(2);
        run.Err.ShouldStartWith(map + message);
        run.Out.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("--from yesterday", "--from must be an RFC 3339 time such as 2026-11-01T00:00:00Z (or a date, 2026-11-01, read as UTC); it is 'yesterday'.")]
    [InlineData("--to 2026-11-01T10:00:00", "--to must be an RFC 3339 time such as 2026-11-01T00:00:00Z (or a date, 2026-11-01, read as UTC); it is '2026-11-01T10:00:00'.")]
    [InlineData("--from 2030-01-01 --to 2026-12-01T00:00:00+01:00", "--from (2030-01-01T00:00:00Z) must be before --to (2026-11-30T23:00:00Z).")]
    public async Task Reconcile_BadPeriod_ExitsTwoNamingTheOption(string period, string message)
    {
        using TempDirectory files = new();
        string orders = files.Write("orders.csv", Header);

        CliRun run = await CliRun.RunAsync(Unreachable, ["reconcile", "--orders", orders, .. period.Split(' ')]);

        run.ExitCode.ShouldBe(2);
        run.Err.ShouldStartWith(message);
    }

    [Fact]
    public async Task Reconcile_UnreachableGateway_ExitsTwo_AndLeavesNoPartialReport()
    {
        using TempDirectory files = new();
        string orders = files.Write("orders.csv", Header + "o-1,10.00,USDT,paid\n");

        CliRun run = await CliRun.RunAsync(Unreachable, ["reconcile", "--orders", orders, "--json", files.File("report.json"), "--csv", files.File("report.csv")]);

        run.ExitCode.ShouldBe(2);
        run.Err.ShouldContain("The gateway at KOBBOPAY_BASE_ADDRESS (http://127.0.0.1:1/) is unreachable");
        run.Err.ShouldNotContain(Unreachable["KOBBOPAY_API_KEY"]);
        (File.Exists(files.File("report.json")), File.Exists(files.File("report.csv"))).ShouldBe((false, false));
    }

    /// <summary>The header row of an orders file, with its line end.</summary>
    private const string Header = "orderId,amount,currency,status\n";

    /// <summary>Port 1 on loopback: refused at once, retries included.</summary>
    private static Dictionary<string, string> Unreachable { get; } = new() { ["KOBBOPAY_BASE_ADDRESS"] = "http://127.0.0.1:1/", ["KOBBOPAY_API_KEY"] = "kp_test_unreachable_0000" };

    private static string Rfc3339(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The cells of one row of the table: its columns are two or more spaces apart.</summary>
    private static string[] Cells(string row) => Regex.Split(row.Trim(), " {2,}");

    private static string[] Row(string[] rows, string kind) => Cells(rows.Single(r => r.StartsWith(kind + " ", StringComparison.Ordinal)));
}
