namespace Kobbopay.Cli.Tests;

public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("payments get pay_1")]
    [InlineData("payments history pay_1")]
    [InlineData("events export")]
    public async Task MissingApiKey_ExitsTwoNamingTheVariable(string command)
    {
        Dictionary<string, string> environment = new() { ["KOBBOPAY_BASE_ADDRESS"] = "http://127.0.0.1:1/" };

        CliRun run = await CliRun.RunAsync(environment, command.Split(' '));

        run.ExitCode.ShouldBe(2);
        run.Err.ShouldContain("KOBBOPAY_API_KEY is not set");
        run.Out.ShouldBeEmpty();
    }

    [Fact]
    public async Task MissingBaseAddress_ExitsTwoNamingTheVariable()
    {
        CliRun run = await CliRun.RunAsync(new Dictionary<string, string>(), ["payments", "get", "pay_1"]);

        run.ExitCode.ShouldBe(2);
        run.Err.ShouldContain("KOBBOPAY_BASE_ADDRESS is not set");
    }

    [Fact]
    public async Task UnreachableGateway_ExitsTwoNamingTheSetting()
    {
        // Port 1 on loopback: refused at once, retries included.
        Dictionary<string, string> environment = new() { ["KOBBOPAY_BASE_ADDRESS"] = "http://127.0.0.1:1/", ["KOBBOPAY_API_KEY"] = "kp_test_unreachable" };

        CliRun run = await CliRun.RunAsync(environment, ["payments", "get", "pay_1"]);

        run.ExitCode.ShouldBe(2);
        run.Err.ShouldContain("The gateway at KOBBOPAY_BASE_ADDRESS (http://127.0.0.1:1/) is unreachable");
    }

    [Fact]
    public async Task UnknownArgument_ExitsTwo()
    {
        CliRun run = await CliRun.RunAsync(new Dictionary<string, string>(), ["payments", "get", "pay_1", "--no-such-option"]);

        run.ExitCode.ShouldBe(2);
        run.Err.ShouldContain("--no-such-option");
    }

    [Fact]
    public async Task TheApiKey_NeverAppearsInAnyOutput()
    {
        await using SimulatorCli cli = await SimulatorCli.StartAsync();
        Payment payment = await cli.CreatePaymentAsync("order-secret");
        string key = cli.Simulator.TestApiKey;
        const string refused = "kp_test_refusedkey0123456789";
        Dictionary<string, string> refusedEnvironment = new(cli.Environment) { ["KOBBOPAY_API_KEY"] = refused };
        Dictionary<string, string> live = new(cli.Environment) { ["KOBBOPAY_API_KEY"] = "kp_live_" + key };
        List<(CliRun Run, string Key)> runs =
        [
            (await cli.RunAsync("payments", "get", payment.Id), key),
            (await cli.RunAsync("payments", "get", payment.Id, "--json"), key),
            (await cli.RunAsync("payments", "history", payment.Id), key),
            (await cli.RunAsync("events", "export"), key),
            (await cli.RunAsync("doctor"), key),
            (await cli.RunAsync("--help"), key),
            (await cli.RunAsync("events", "export", "--help"), key),
            (await CliRun.RunAsync(cli.Environment, ["payments", "get", payment.Id, "--api-key", refused]), refused),
            (await CliRun.RunAsync(refusedEnvironment, ["payments", "get", payment.Id]), refused),
            (await CliRun.RunAsync(refusedEnvironment, ["doctor"]), refused),
            (await CliRun.RunAsync(live, ["payments", "get", payment.Id]), live["KOBBOPAY_API_KEY"]),
            (await CliRun.RunAsync(live, ["doctor"]), live["KOBBOPAY_API_KEY"]),
        ];

        runs.Count(r => r.Run.ExitCode == 2).ShouldBe(3); // the refused key twice and the live key against the test simulator
        foreach ((CliRun run, string secret) in runs)
        {
            run.Out.ShouldNotContain(secret);
            run.Err.ShouldNotContain(secret);
            run.Out.ShouldNotContain(secret["kp_test_".Length..]);
            run.Err.ShouldNotContain(secret["kp_test_".Length..]);
        }
    }

    [Fact]
    public async Task RefusedKey_ExitsTwoNamingTheOptionItCameFrom()
    {
        await using SimulatorCli cli = await SimulatorCli.StartAsync();

        CliRun run = await CliRun.RunAsync(cli.Environment, ["payments", "get", "pay_1", "--api-key", "kp_test_refusedkey0123456789"]);

        run.ExitCode.ShouldBe(2);
        run.Err.ShouldContain("The gateway refused --api-key (401 invalid_api_key)");
    }
}
