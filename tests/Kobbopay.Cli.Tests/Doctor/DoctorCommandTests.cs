namespace Kobbopay.Cli.Tests.Doctor;

public sealed class DoctorCommandTests
{
    private const string TestKey = "kp_test_0123456789abcdef";

    [Fact]
    public async Task Doctor_AgainstTheSimulatorWithATestKey_EveryCheckOk()
    {
        await using SimulatorCli cli = await SimulatorCli.StartAsync();
        cli.Environment["KOBBOPAY_WEBHOOK_SECRET"] = "a-shared-webhook-secret";

        CliRun run = await cli.RunAsync("doctor");

        run.ExitCode.ShouldBe(0, run.Out);
        run.OutLines.Select(l => l.Split(' ')[0]).ShouldAllBe(s => s == "ok", run.Out);
        run.OutLines.Length.ShouldBe(7);
    }

    [Fact]
    public async Task Doctor_LiveKeyAgainstANonProductionAddress_FailsNamingTheKey()
    {
        await using SimulatorCli cli = await SimulatorCli.StartAsync();
        cli.Environment["KOBBOPAY_API_KEY"] = "kp_live_0123456789abcdef";

        CliRun run = await cli.RunAsync("doctor");

        run.ExitCode.ShouldBe(1);
        Line(run, "key environment").ShouldBe(
            "fail  key environment          KOBBOPAY_API_KEY is a production key (kp_live_…) but KOBBOPAY_BASE_ADDRESS is a loopback address (the simulator): "
            + "keys are scoped to one environment and the gateway refuses the other's. Use the non-production key (kp_test_…) or the production address.");
    }

    [Fact]
    public async Task Doctor_TestKeyAgainstAProductionHost_Fails()
    {
        CliRun run = await DoctorWithTestKeyAsync("https://api.kobbopay.example/", new StubGateway(DateTimeOffset.UtcNow));

        run.ExitCode.ShouldBe(1);
        Line(run, "key environment").ShouldStartWith("fail  key environment          KOBBOPAY_API_KEY is a non-production key (kp_test_…) but KOBBOPAY_BASE_ADDRESS is a production host (api.kobbopay.example has no sandbox/test/staging label)");
    }

    [Fact]
    public async Task Doctor_PlainHttpToANonLoopbackHost_FailsAndNeverSendsTheKey()
    {
        StubGateway gateway = new(DateTimeOffset.UtcNow);

        CliRun run = await DoctorWithTestKeyAsync("http://sandbox.kobbopay.example/", gateway);

        run.ExitCode.ShouldBe(1);
        Line(run, "https").ShouldStartWith("fail  https                    KOBBOPAY_BASE_ADDRESS uses plain http to sandbox.kobbopay.example, not a loopback address");
        Line(run, "key environment").ShouldStartWith("ok ");
        Line(run, "reachability").ShouldStartWith("warn  reachability             KOBBOPAY_BASE_ADDRESS answered 200");
        gateway.Requests.Single().Headers.Contains("x-api-key").ShouldBeFalse();
    }

    [Fact]
    public async Task Doctor_PrintsTheConfigurationFindingsBeforeItWaitsForTheGateway()
    {
        using StringWriter output = new();
        string? printedBeforeTheCall = null;
        StubGateway gateway = new(DateTimeOffset.UtcNow) { OnRequest = () => printedBeforeTheCall = output.ToString() };
        Dictionary<string, string> environment = new() { ["KOBBOPAY_BASE_ADDRESS"] = "http://10.1.2.3:8080/", ["KOBBOPAY_API_KEY"] = "kp_live_0123456789abcdef" };
        CliContext context = new(output, TextWriter.Null, name => environment.GetValueOrDefault(name)) { PrimaryHandler = gateway };

        int code = await CliApp.RunAsync(["doctor"], context, TestContext.Current.CancellationToken);

        code.ShouldBe(1);
        printedBeforeTheCall.ShouldNotBeNull();
        string[] printed = printedBeforeTheCall.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        printed.Select(l => l[6..].Split("  ")[0]).ShouldBe(["KOBBOPAY_BASE_ADDRESS", "https", "KOBBOPAY_API_KEY", "key environment"]);
        printed[1].ShouldStartWith("fail  https ");
        printed[3].ShouldStartWith("fail  key environment ");
    }

    [Theory]
    [InlineData(-10, "fail")]
    [InlineData(2, "warn")]
    [InlineData(0, "ok")]
    public async Task Doctor_ClockAgainstTheGatewaysDate_OkWarnOrFailBySkew(int gatewayAheadMinutes, string expected)
    {
        StubGateway gateway = new(DateTimeOffset.UtcNow.AddMinutes(gatewayAheadMinutes));

        CliRun run = await DoctorWithTestKeyAsync("https://sandbox.kobbopay.example/", gateway);

        Line(run, "clock skew").ShouldStartWith(expected + " ");
        gateway.Requests.Single().Headers.GetValues("x-api-key").ShouldBe([TestKey]);
    }

    [Theory]
    [InlineData(null, null, "warn", "KOBBOPAY_WEBHOOK_SECRET is not set")]
    [InlineData("standard-webhooks", "whsec_bm90IGEgcmVhbCBzZWNyZXQ=", "ok", "set, and of the standard-webhooks shape.")]
    [InlineData("standard-webhooks", "whsec_not-base64-at-all!", "fail", "KOBBOPAY_WEBHOOK_SECRET is not a standard-webhooks secret: expected whsec_ followed by base64")]
    [InlineData("hmac-sha256-hex", "whsec_bm90IGEgcmVhbCBzZWNyZXQ=", "warn", "looks like a Standard Webhooks secret")]
    [InlineData("hmac-sha256-hex", " padded-secret ", "fail", "starts or ends with white space")]
    [InlineData(null, "<from your secret store>", "fail", "KOBBOPAY_WEBHOOK_SECRET looks like a placeholder (it contains '<' or '>')")]
    [InlineData(null, "whsk_two words_secret", "fail", "KOBBOPAY_WEBHOOK_SECRET contains white space; copy the secret exactly.")]
    [InlineData(null, "whsk_short_1", "fail", "KOBBOPAY_WEBHOOK_SECRET is 12 characters long; a webhook signing secret has at least 16")]
    [InlineData(null, "whsk_sixteen_ok1", "ok", "set, and of the hmac-sha256-hex shape.")]
    [InlineData("rot13", "secret", "fail", "KOBBOPAY_WEBHOOK_SCHEME must be hmac-sha256-hex or standard-webhooks; it is 'rot13'.")]
    public async Task Doctor_WebhookSecret_CheckedAgainstItsScheme(string? scheme, string? secret, string expected, string message)
    {
        Dictionary<string, string> environment = new();
        if (scheme is not null)
        {
            environment["KOBBOPAY_WEBHOOK_SCHEME"] = scheme;
        }

        if (secret is not null)
        {
            environment["KOBBOPAY_WEBHOOK_SECRET"] = secret;
        }

        CliRun run = await CliRun.RunAsync(environment, ["doctor"]);

        string line = run.OutLines.Single(l => l.Contains("KOBBOPAY_WEBHOOK_", StringComparison.Ordinal) && !l.Contains("KOBBOPAY_BASE", StringComparison.Ordinal));
        line.ShouldStartWith(expected + " ");
        line.ShouldContain(message);
        if (secret is not null && secret.Trim().Length > 8)
        {
            run.Out.ShouldNotContain(secret.Trim());
        }
    }

    /// <summary>Runs doctor with a test key against <paramref name="baseAddress"/>, answered by <paramref name="gateway"/>.</summary>
    private static Task<CliRun> DoctorWithTestKeyAsync(string baseAddress, StubGateway gateway) =>
        CliRun.RunAsync(new Dictionary<string, string> { ["KOBBOPAY_BASE_ADDRESS"] = baseAddress, ["KOBBOPAY_API_KEY"] = TestKey }, ["doctor"], gateway);

    private static string Line(CliRun run, string name) => run.OutLines.Single(l => l[6..].StartsWith(name + " ", StringComparison.Ordinal));
}
