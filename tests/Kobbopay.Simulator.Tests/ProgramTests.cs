using System.Diagnostics;
using Kobbopay.Webhooks;

namespace Kobbopay.Simulator.Tests;

/// <summary>The simulator as a program (a real process): where it listens, and what its banner says.</summary>
public sealed class ProgramTests
{
    [Fact]
    public async Task Urls_IsHonoured()
    {
        await using var program = await SimulatorProcess.StartAsync(["--urls", "http://127.0.0.1:0"]);

        program.BaseAddress.Host.ShouldBe("127.0.0.1");
        program.BaseAddress.Port.ShouldBeGreaterThan(0);
        await program.ShouldAnswerAsync();
    }

    [Fact]
    public async Task AspNetCoreUrls_IsHonoured()
    {
        await using var program = await SimulatorProcess.StartAsync([], ("ASPNETCORE_URLS", "http://localhost:0"));

        program.BaseAddress.Host.ShouldBe("127.0.0.1");
        program.Banner.ShouldNotContain("Overriding", Case.Sensitive, "the program applies ASPNETCORE_URLS itself; the host does not warn about it");
        await program.ShouldAnswerAsync();
    }

    [Theory]
    [InlineData("--urls|http://127.0.0.1:0|--port|5001", "--urls and --listen/--port both say where to listen")]
    [InlineData("--urls|https://127.0.0.1:0", "--urls: 'https://127.0.0.1:0' is not an http address")]
    [InlineData("--urls|http://127.0.0.1:0;http://127.0.0.1:1", "give exactly one address")]
    [InlineData("--urls|http://example.test:5080", "'example.test' is not an IP address nor localhost")]
    [InlineData("--no-such-option", "--no-such-option")]
    [InlineData("--listen|0.0.0.0|--port|0", "AdminToken (--admin-token) is required to listen on 0.0.0.0")]
    [InlineData("resend", "Required argument missing for command: 'resend'")]
    [InlineData("run|--no-such-option", "--no-such-option")]
    public async Task BadListenOptions_StopTheStart_WithAMessageNamingThem(string args, string message)
    {
        (int exitCode, string output) = await SimulatorProcess.RunToEndAsync(args.Split('|'));

        exitCode.ShouldBe(2, output);
        output.ShouldContain(message);
    }

    [Fact]
    public async Task TheBanner_ShowsTheActiveFaults_AndOneSeedSeedsBoth()
    {
        await using var program = await SimulatorProcess.StartAsync(["--port", "0", "--seed", "7", "--internal-error-rate", "0.1", "--webhook-duplicate-rate", "0.2"]);

        program.Banner.ShouldContain("API faults   { Seed = 7, InternalErrorRate = 0.1,");
        program.Banner.ShouldContain("hook faults  { Seed = 7, DuplicateRate = 0.2,");
    }

    [Fact]
    public async Task AConfigFile_SetsFaultsAndEndpoints_AtStart()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        TaskCompletionSource<WebhookReceiver.Received> delivered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        receiver.Answer = r =>
        {
            delivered.TrySetResult(r);
            return Task.FromResult(Results.Ok());
        };
        using var config = ConfigFile.Write($$"""
            { "Kobbopay": { "Simulator": {
                "Port": 0,
                "Faults": { "Seed": 5, "LatencyRate": 0.25, "LatencyMilliseconds": 1 },
                "WebhookFaults": { "ReorderRate": 0.5 },
                "WebhookEndpoints": [ { "Url": "{{receiver.Url}}", "Secret": "whsk_from_file" } ] } } }
            """);

        await using var program = await SimulatorProcess.StartAsync(["--config", config.Path]);

        program.Banner.ShouldContain($"  config       {config.Path}");
        using HttpClient http = new() { BaseAddress = program.BaseAddress };
        JsonElement faults = JsonDocument.Parse(await http.GetStringAsync("_sim/faults", Sim.Ct)).RootElement;
        faults.GetProperty("seed").GetInt32().ShouldBe(5);
        faults.GetProperty("latencyRate").GetDouble().ShouldBe(0.25);
        JsonElement hookFaults = JsonDocument.Parse(await http.GetStringAsync("_sim/webhook-faults", Sim.Ct)).RootElement;
        hookFaults.GetProperty("seed").GetInt32().ShouldBe(5);
        hookFaults.GetProperty("reorderRate").GetDouble().ShouldBe(0.5);
        JsonElement endpoint = JsonDocument.Parse(await http.GetStringAsync("_sim/webhook-endpoints", Sim.Ct)).RootElement.GetProperty("data").EnumerateArray().ShouldHaveSingleItem();
        endpoint.GetProperty("url").GetString().ShouldBe(receiver.Url.ToString());

        using HttpClient api = SimulatorHttp.CreateClient(program.BaseAddress, KobbopaySimulatorOptions.DefaultTestApiKey);
        await Payments.CreateAsync(api);
        var received = await delivered.Task.WaitAsync(TimeSpan.FromSeconds(30), Sim.Ct);
        new HmacSha256HexSignatureScheme(["whsk_from_file"]).Verify(received.Body.AsSpan(), new WebhookHeaders(received.Headers)).IsValid.ShouldBeTrue();
    }

    [Fact]
    public async Task AnEnvironmentVariable_OverridesTheFile_AndAFlagOverridesBoth()
    {
        using var config = ConfigFile.Write("""{ "Kobbopay": { "Simulator": { "Port": 0, "Faults": { "InternalErrorRate": 0.1, "UnavailableRate": 0.1 } } } }""");
        (string, string) environment = ("Kobbopay__Simulator__Faults__InternalErrorRate", "0.2");

        await using var fromEnvironment = await SimulatorProcess.StartAsync(["--config", config.Path], environment);
        await using var fromFlag = await SimulatorProcess.StartAsync(["--config", config.Path, "--internal-error-rate", "0.3"], environment);

        fromEnvironment.Banner.ShouldContain("InternalErrorRate = 0.2, UnavailableRate = 0.1,");
        fromEnvironment.Banner.ShouldContain($"  config       {config.Path}, environment (1 Kobbopay__Simulator__ variable)");
        fromFlag.Banner.ShouldContain("InternalErrorRate = 0.3, UnavailableRate = 0.1,", Case.Sensitive, "only the flags given override; the file's other faults stay");
    }

    [Theory]
    [InlineData("""{ "Kobbopay": { "Simulator": { "Faults": { "InternalErrorRat": 0.1 } } } }""", "Kobbopay:Simulator:Faults:InternalErrorRat ({0}) is not a setting of the simulator")]
    [InlineData("""{ "Kobbopay": { "Simulator": { "WebhookEndpoints": [ { "Url": "http://127.0.0.1:9/", "Secrett": "x" } ] } } }""", "Kobbopay:Simulator:WebhookEndpoints:0:Secrett ({0}) is not a setting")]
    [InlineData("""{ "Kobbopay": { "Simulator": { "Faults": { "InternalErrorRate": 2 } } } }""", "Kobbopay:Simulator:Faults:InternalErrorRate ({0}) must be between 0 and 1; it is 2.")]
    [InlineData("""{ "Kobbopay": { "Simulator": { "Port": "five" } } }""", "Kobbopay:Simulator:Port ({0}) has a value of the wrong kind: 'five'.")]
    [InlineData("""{ "Kobbopay": { "Simulator": { "Clock": "Fast" } } }""", "Kobbopay:Simulator:Clock must be one of Manual, Wall; it is 'Fast'. It is set in {0}.")]
    [InlineData("""{ "Kobbopay": { "Simulator": { "WebhookEndpoints": [ { "Url": "not a url" } ] } } }""", "Kobbopay:Simulator:WebhookEndpoints:0:Url ({0}) must be an absolute http or https address")]
    public async Task ABadConfigFile_StopsTheStart_NamingTheKeyAndTheFile(string json, string message)
    {
        using var config = ConfigFile.Write(json);

        (int exitCode, string output) = await SimulatorProcess.RunToEndAsync(["--config", config.Path]);

        exitCode.ShouldBe(2);
        output.ShouldContain(string.Format(CultureInfo.InvariantCulture, message, config.Path));
    }

    [Fact]
    public async Task AMissingConfigFile_StopsTheStart()
    {
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kobbopay-sim-" + Guid.NewGuid().ToString("N") + ".json");

        (int exitCode, string output) = await SimulatorProcess.RunToEndAsync(["--config", path]);

        exitCode.ShouldBe(2);
        output.ShouldContain($"--config: there is no file at {path}.");
    }

    [Fact]
    public async Task Run_AScenarioWithAWrongExpectation_ExitsOne_NamingTheStep()
    {
        string file = Path.Combine(Path.GetTempPath(), $"kobbopay-wrong-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """
            { "endpoints": { "merchant": { "respond": 200 } }, "steps": [
              { "step": "create", "as": "p", "amount": "10.00", "currency": "USDT", "network": "example-network", "orderId": "order-1" },
              { "step": "pay", "payment": "p" },
              { "step": "expectDelivery", "payment": "p", "event": "payment.confirmed", "endpoint": "merchant", "status": 200 }
            ] }
            """, Sim.Ct);
        try
        {
            (int exitCode, string output) = await SimulatorProcess.RunToEndAsync(["run", file]);

            exitCode.ShouldBe(1);
            output.ShouldContain("step 3 (expectDelivery p): expected payment.confirmed delivered to merchant and answered 200, was no payment.confirmed delivery to merchant (it was sent: payment.created, payment.paid)");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task TheResendCommand_RunsAgainstARunningSimulator_AndPrintsThe200()
    {
        await using var scene = await WebhookScene.StartAsync(registered: 1);

        (int exitCode, string output) = await SimulatorProcess.RunToEndAsync(["resend", scene.EventId, "--simulator", scene.Sim.Simulator.BaseAddress.ToString()]);

        exitCode.ShouldBe(0, output);
        output.ShouldContain($"-> payment.created {scene.EventId} to {scene.Receivers[0].Url}");
        output.ShouldContain("<- 200 in ");
        scene.Receivers[0].Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task TheLiveConsole_PrintsEachApiRequestAndDeliveryAttempt_ByDefault()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var program = await SimulatorProcess.StartAsync(["--port", "0", "--webhook-url", receiver.Url.ToString(), "--webhook-secret", "whsk_console_test_secret"]);
        using HttpClient api = SimulatorHttp.CreateClient(program.BaseAddress, KobbopaySimulatorOptions.DefaultTestApiKey);

        await Payments.CreateAsync(api);

        string request = await program.ReadLineAsync(line => line.Contains("POST /v1/payments 201 ", StringComparison.Ordinal));
        request.ShouldContain("Kobbopay.Simulator.Console");
        request.ShouldMatch(@"POST /v1/payments 201 \d+ ms req_\w+$");
        string attempt = await program.ReadLineAsync(line => line.Contains("-> payment.created evt_", StringComparison.Ordinal));
        attempt.ShouldContain($" to {receiver.Url} 200 in ");
        string lines = program.Output[program.Banner.Length..];
        lines.ShouldNotContain(KobbopaySimulatorOptions.DefaultTestApiKey, Case.Sensitive, "the banner prints the key; the console lines never do");
        lines.ShouldNotContain("whsk_console_test_secret", Case.Sensitive, "the banner prints the secret; the console lines never do");
    }

    [Theory]
    [InlineData("--quiet")]
    [InlineData("Logging:LogLevel:Kobbopay.Simulator.Console=None")]
    public async Task TheLiveConsole_IsSilenced_ByQuietOrByTheLogLevelSetting(string how)
    {
        using var config = ConfigFile.Write("""{ "Logging": { "LogLevel": { "Kobbopay.Simulator.Console": "None" } } }""");
        string[] args = how == "--quiet" ? ["--port", "0", "--quiet"] : ["--port", "0", "--config", config.Path];
        await using var program = await SimulatorProcess.StartAsync(args);
        using HttpClient api = SimulatorHttp.CreateClient(program.BaseAddress, KobbopaySimulatorOptions.DefaultTestApiKey);
        await Payments.CreateAsync(api);

        // SIGTERM: the program stops as on Ctrl+C, and its logger writes out whatever it still holds before it exits.
        string rest = await program.StopAsync();

        rest.ShouldContain("Stopping.");
        program.ExitCode.ShouldBe(0, "a SIGTERM is a stop asked for, not a crash");
        (program.Output + rest).ShouldNotContain("POST /v1/payments");
    }

    /// <summary>A settings file in the temporary folder, deleted when disposed.</summary>
    private sealed class ConfigFile : IDisposable
    {
        private ConfigFile(string path) => Path = path;

        public string Path { get; }

        public static ConfigFile Write(string json)
        {
            string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kobbopay-sim-" + Guid.NewGuid().ToString("N") + ".json");
            File.WriteAllText(path, json);
            return new ConfigFile(path);
        }

        public void Dispose() => File.Delete(Path);
    }

    /// <summary>The simulator program started with <c>dotnet Kobbopay.Simulator.dll</c>, stopped with a kill when disposed.</summary>
    private sealed class SimulatorProcess : IAsyncDisposable
    {
        private readonly Process _process;

        private readonly StringBuilder _output = new();

        private SimulatorProcess(Process process, Uri baseAddress, string banner)
        {
            _process = process;
            BaseAddress = baseAddress;
            Banner = banner;
            _output.Append(banner);
        }

        /// <summary>Its exit code, once it has exited.</summary>
        public int ExitCode => _process.ExitCode;

        /// <summary>Everything read from its standard output so far, the banner included.</summary>
        public string Output => _output.ToString();

        public Uri BaseAddress { get; }

        public string Banner { get; }

        public static async Task<SimulatorProcess> StartAsync(string[] args, params (string Name, string Value)[] environment)
        {
            Process process = Process.Start(Info(args, environment))!;
            StringBuilder banner = new();
            try
            {
                using CancellationTokenSource timeout = CancellationTokenSource.CreateLinkedTokenSource(Sim.Ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(60));
                while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
                {
                    banner.AppendLine(line);
                    if (line.StartsWith("Press Ctrl+C", StringComparison.Ordinal))
                    {
                        string first = banner.ToString().Split('\n').First(l => l.StartsWith("Kobbopay simulator listening on ", StringComparison.Ordinal));
                        Uri address = new(first["Kobbopay simulator listening on ".Length..].Trim());
                        return new SimulatorProcess(process, address, banner.ToString());
                    }
                }

                string errors = await process.StandardError.ReadToEndAsync(Sim.Ct);
                throw new InvalidOperationException($"The simulator did not start: {banner}{errors}");
            }
            catch
            {
                // Whatever went wrong reading its banner, the process does not outlive the test.
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }

                process.Dispose();
                throw;
            }
        }

        public static async Task<(int ExitCode, string Output)> RunToEndAsync(string[] args)
        {
            using Process process = Process.Start(Info(args, []))!;
            Task<string> output = process.StandardOutput.ReadToEndAsync(Sim.Ct);
            Task<string> errors = process.StandardError.ReadToEndAsync(Sim.Ct);
            await process.WaitForExitAsync(Sim.Ct);
            return (process.ExitCode, await output + await errors);
        }

        /// <summary>Reads its standard output up to the first line that matches, and answers that line.</summary>
        public async Task<string> ReadLineAsync(Func<string, bool> match)
        {
            using CancellationTokenSource timeout = CancellationTokenSource.CreateLinkedTokenSource(Sim.Ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            while (await _process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                _output.AppendLine(line);
                if (match(line))
                {
                    return line;
                }
            }

            throw new InvalidOperationException($"The simulator exited without printing the line looked for; it printed:\n{_output}");
        }

        /// <summary>Stops it with SIGTERM, as Ctrl+C or a service manager would, and answers the rest of its output.</summary>
        public async Task<string> StopAsync()
        {
            Terminate(_process.Id, 15).ShouldBe(0, "kill(SIGTERM)");
            string rest = await _process.StandardOutput.ReadToEndAsync(Sim.Ct);
            await _process.WaitForExitAsync(Sim.Ct);
            return rest;
        }

        public async Task ShouldAnswerAsync()
        {
            using HttpClient http = new() { BaseAddress = BaseAddress };
            using HttpResponseMessage clock = await http.GetAsync("_sim/clock", Sim.Ct);
            ((int)clock.StatusCode).ShouldBe(200);
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
        }

        private static ProcessStartInfo Info(string[] args, (string Name, string Value)[] environment)
        {
            ProcessStartInfo info = new("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            info.ArgumentList.Add(SimulatorDll());
            foreach (string arg in args)
            {
                info.ArgumentList.Add(arg);
            }

            info.Environment.Remove("ASPNETCORE_URLS");

            // Settings come only from what the test passes: no appsettings.json of the current folder, no inherited Kobbopay__ variables.
            info.WorkingDirectory = Path.GetTempPath();
            info.Environment.Remove("DOTNET_ENVIRONMENT");
            foreach (string name in info.Environment.Keys.Where(k => k.StartsWith("Kobbopay__", StringComparison.OrdinalIgnoreCase)).ToList())
            {
                info.Environment.Remove(name);
            }
            foreach ((string name, string value) in environment)
            {
                info.Environment[name] = value;
            }

            return info;
        }

        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        private static extern int Terminate(int pid, int signal);

        /// <summary>The simulator's own build output, in the configuration these tests were built in.</summary>
        private static string SimulatorDll()
        {
            DirectoryInfo? dir = new(AppContext.BaseDirectory);
            string configuration = dir.Parent!.Name; // bin/<configuration>/net10.0
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Kobbopay.Sdk.sln")))
            {
                dir = dir.Parent;
            }

            string dll = Path.Combine(dir?.FullName ?? throw new InvalidOperationException("The repository root was not found."), "src", "Kobbopay.Simulator", "bin", configuration, "net10.0", "Kobbopay.Simulator.dll");
            File.Exists(dll).ShouldBeTrue($"build the simulator first: {dll}");
            return dll;
        }
    }
}
