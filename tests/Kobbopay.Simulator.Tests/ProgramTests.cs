using System.Diagnostics;

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
    public async Task BadListenOptions_StopTheStart_WithAMessageNamingThem(string args, string message)
    {
        (int exitCode, string output) = await SimulatorProcess.RunToEndAsync(args.Split('|'));

        exitCode.ShouldNotBe(0);
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
    public async Task TheResendCommand_RunsAgainstARunningSimulator_AndPrintsThe200()
    {
        await using var scene = await WebhookScene.StartAsync(registered: 1);

        (int exitCode, string output) = await SimulatorProcess.RunToEndAsync(["resend", scene.EventId, "--simulator", scene.Sim.Simulator.BaseAddress.ToString()]);

        exitCode.ShouldBe(0, output);
        output.ShouldContain($"-> payment.created {scene.EventId} to {scene.Receivers[0].Url}");
        output.ShouldContain("<- 200 in ");
        scene.Receivers[0].Requests.Count.ShouldBe(2);
    }

    /// <summary>The simulator program started with <c>dotnet Kobbopay.Simulator.dll</c>, stopped with a kill when disposed.</summary>
    private sealed class SimulatorProcess : IAsyncDisposable
    {
        private readonly Process _process;

        private SimulatorProcess(Process process, Uri baseAddress, string banner)
        {
            _process = process;
            BaseAddress = baseAddress;
            Banner = banner;
        }

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
            foreach ((string name, string value) in environment)
            {
                info.Environment[name] = value;
            }

            return info;
        }

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
