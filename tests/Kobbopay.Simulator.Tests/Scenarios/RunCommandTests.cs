using System.Xml.Linq;
using Kobbopay.Simulator.Commands;

namespace Kobbopay.Simulator.Tests.Scenarios;

/// <summary><c>kobbopay-sim run</c>, through the command's entry point: the output, the exit codes and the JUnit report.</summary>
public sealed class RunCommandTests
{
    [Fact]
    public async Task NoScenario_ExitsTwo()
    {
        (int exitCode, _, string errors) = await RunAsync(new RunCommand.Settings([], Shipped: false));

        exitCode.ShouldBe(RunCommand.BadInput);
        errors.ShouldContain("--shipped");
    }

    [Fact]
    public async Task TheShippedScenarios_PassInProcess_ExitZero_AndTheJUnitReportCountsEveryStep()
    {
        using ScenarioFiles files = new();
        string junit = Path.Combine(files.Folder, "reports", "scenarios.xml");

        (int exitCode, string output, string errors) = await RunAsync(new RunCommand.Settings([], Shipped: true, JUnitPath: junit));

        errors.ShouldBeEmpty();
        exitCode.ShouldBe(RunCommand.Passed);
        output.ShouldContain("✓ paid then confirmed  (shipped:01-paid-then-confirmed.json)");
        output.ShouldContain("  ✓ step 7 (expectDelivery p): payment.created to merchant, answered 200 ");
        output.ShouldContain("5 of 5 scenario(s) passed; 39 step(s): 39 passed, 0 failed, 0 skipped.");
        XDocument report = XDocument.Load(junit);
        report.Root!.Name.LocalName.ShouldBe("testsuites");
        report.Root.Elements("testsuite").Count().ShouldBe(5);
        report.Root.Attribute("tests")!.Value.ShouldBe("39");
        report.Root.Attribute("failures")!.Value.ShouldBe("0");
        report.Descendants("testcase").Count().ShouldBe(39);
    }

    [Fact]
    public async Task AWrongExpectation_ExitsOne_NamingTheStep_AndTheJUnitReportHasTheFailure()
    {
        using ScenarioFiles files = new();
        string wrong = files.Write("wrong.json", ScenarioFiles.OnePayment("""
            { "step": "pay", "payment": "p" },
            { "step": "expectStatus", "payment": "p", "status": "confirmed" },
            { "step": "confirm", "payment": "p" }
            """));
        string junit = Path.Combine(files.Folder, "junit.xml");

        (int exitCode, string output, _) = await RunAsync(new RunCommand.Settings([wrong], Shipped: true, JUnitPath: junit));

        exitCode.ShouldBe(RunCommand.Failed);
        output.ShouldContain($"✗ one payment  ({wrong})");
        output.ShouldContain("  ✗ step 3 (expectStatus p): confirmed ");
        output.ShouldContain("      step 3 (expectStatus p): expected confirmed, was paid");
        output.Split('\n').ShouldContain(line => line.StartsWith("  - step 4 (confirm p) ", StringComparison.Ordinal) && line.TrimEnd().EndsWith("skipped", StringComparison.Ordinal));
        output.ShouldContain("5 of 6 scenario(s) passed; 43 step(s): 41 passed, 1 failed, 1 skipped.");
        XElement root = XDocument.Load(junit).Root!;
        (root.Attribute("tests")!.Value, root.Attribute("failures")!.Value, root.Attribute("skipped")!.Value).ShouldBe(("43", "1", "1"));
        XElement suite = root.Elements("testsuite").Single(s => s.Attribute("name")!.Value == "one payment");
        (suite.Attribute("tests")!.Value, suite.Attribute("failures")!.Value, suite.Attribute("file")!.Value).ShouldBe(("4", "1", wrong));
        suite.Descendants("failure").Single().Attribute("message")!.Value.ShouldBe("step 3 (expectStatus p): expected confirmed, was paid");
        suite.Descendants("skipped").Count().ShouldBe(1);
    }

    [Fact]
    public async Task BadFiles_ExitTwo_NamingEachFileAndStep_AndNothingRuns()
    {
        using ScenarioFiles files = new();
        string unknownKind = files.Write("kind.json", ScenarioFiles.OnePayment("""{ "step": "refund", "payment": "p" }"""));
        string missing = Path.Combine(files.Folder, "missing.json");

        (int exitCode, string output, string errors) = await RunAsync(new RunCommand.Settings([unknownKind, missing], Shipped: true));

        exitCode.ShouldBe(RunCommand.BadInput);
        errors.ShouldContain($"{unknownKind}:6: step 2: unknown step kind 'refund'");
        errors.ShouldContain($"{missing}: cannot be read");
        output.ShouldBeEmpty();
    }

    [Fact]
    public async Task ARunningSimulator_IsUsedOverHttp()
    {
        await using KobbopaySimulator sim = await Sim.StartAsync();

        (int exitCode, string output, _) = await RunAsync(new RunCommand.Settings([], Shipped: true, Simulator: sim.BaseAddress.ToString()));

        exitCode.ShouldBe(RunCommand.Passed);
        output.ShouldStartWith($"Running 5 scenario(s) against the simulator at {sim.BaseAddress}");
        sim.PaymentCount.ShouldBe(5);
    }

    [Fact]
    public async Task ASimulatorThatRefusesTheAdminToken_ExitsThree()
    {
        KobbopaySimulatorOptions options = Sim.Options();
        options.AdminToken = "right-token-0123456789";
        await using KobbopaySimulator sim = await KobbopaySimulator.StartAsync(options, Sim.Ct);

        (int exitCode, _, string errors) = await RunAsync(new RunCommand.Settings([], Shipped: true, Simulator: sim.BaseAddress.ToString(), AdminToken: "wrong-token-0123456789"));

        exitCode.ShouldBe(RunCommand.Unreachable);
        errors.ShouldContain("refused the control API (401)");
        errors.ShouldNotContain("wrong-token-0123456789");
        sim.PaymentCount.ShouldBe(0);
    }

    [Fact]
    public async Task ASimulatorThatDoesNotAnswer_ExitsThree()
    {
        // A port that was just free: nothing listens on it.
        int port;
        using (System.Net.Sockets.TcpListener listener = new(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        (int exitCode, _, string errors) = await RunAsync(new RunCommand.Settings([], Shipped: true, Simulator: $"http://127.0.0.1:{port}/"));

        exitCode.ShouldBe(RunCommand.Unreachable);
        errors.ShouldContain($"The simulator at http://127.0.0.1:{port}/ did not answer");
    }

    private static async Task<(int ExitCode, string Output, string Errors)> RunAsync(RunCommand.Settings settings)
    {
        using StringWriter output = new();
        using StringWriter errors = new();
        int exitCode = await RunCommand.RunAsync(settings, output, errors, Sim.Ct);
        return (exitCode, output.ToString(), errors.ToString());
    }
}
