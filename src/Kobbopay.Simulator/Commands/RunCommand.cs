using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text;
using System.Xml;
using Kobbopay.Simulator.Scenarios;
using Kobbopay.Simulator.Scenarios.Internal;

namespace Kobbopay.Simulator.Commands;

/// <summary>
/// <c>kobbopay-sim run scenario.json [more.json…]</c>: runs scenario files against a running simulator
/// (<c>--simulator URL</c>) or one started in process on a manual clock. Exit codes: 0 every expectation held, 1 one
/// failed, 2 bad input (an unreadable or invalid file, a bad option), 3 the simulator is unreachable or refused.
/// </summary>
internal static class RunCommand
{
    /// <summary>Every expectation held.</summary>
    public const int Passed = 0;

    /// <summary>A step failed.</summary>
    public const int Failed = 1;

    /// <summary>Bad input: a file cannot be read or is not a valid scenario, or an option is wrong.</summary>
    public const int BadInput = 2;

    /// <summary>The simulator at <c>--simulator</c> did not answer, or refused the admin token.</summary>
    public const int Unreachable = 3;

    /// <summary>Creates the <c>run</c> command.</summary>
    /// <returns>The command.</returns>
    public static Command Create()
    {
        Argument<string[]> files = new("scenario") { Description = "Scenario files (JSON) to run, in order.", Arity = ArgumentArity.ZeroOrMore };
        Option<bool> shipped = new("--shipped") { Description = "Run the scenarios shipped with the simulator (the seeds' awkward cases), before any files given." };
        Option<string?> simulator = new("--simulator") { Description = "The base address of a running simulator (http://127.0.0.1:5080). Default: start one in process on a manual clock." };
        Option<string?> apiKey = new("--api-key") { Description = "The API key payments are created with. Defaults to " + KobbopaySimulatorOptions.DefaultTestApiKey + "." };
        Option<string?> adminToken = new("--admin-token") { Description = "The token of the simulator's control API (or KOBBOPAY_SIM_ADMIN_TOKEN); with --simulator." };
        Option<string?> junit = new("--junit") { Description = "Write a JUnit XML report to this file: a testsuite per scenario, a testcase per step." };
        Option<double> timeout = new("--delivery-timeout") { Description = "Seconds an expectDelivery step waits for the deliveries to settle.", DefaultValueFactory = _ => 10 };
        Command run = new("run", "Runs scenario files: steps that drive payments and expect statuses and webhook deliveries. Exit 0 when every expectation held, 1 when one failed, 2 on bad input, 3 when the simulator is unreachable.")
        {
            files, shipped, simulator, apiKey, adminToken, junit, timeout,
        };
        run.SetAction((parse, cancellationToken) => RunAsync(
            new Settings(
                parse.GetValue(files) ?? [],
                parse.GetValue(shipped),
                parse.GetValue(simulator),
                parse.GetValue(apiKey),
                SimulatorControl.AdminToken(parse.GetValue(adminToken)),
                parse.GetValue(junit),
                parse.GetValue(timeout)),
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            cancellationToken));
        return run;
    }

    /// <summary>Runs the command; its own entry point, for tests.</summary>
    public static async Task<int> RunAsync(Settings settings, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        List<Scenario>? scenarios = await LoadAsync(settings, error, cancellationToken).ConfigureAwait(false);
        if (scenarios is null)
        {
            return BadInput;
        }

        if (!double.IsFinite(settings.DeliveryTimeoutSeconds) || settings.DeliveryTimeoutSeconds is <= 0 or > 3600)
        {
            await error.WriteLineAsync($"--delivery-timeout must be a number of seconds above 0 and at most 3600; it is {settings.DeliveryTimeoutSeconds.ToString(CultureInfo.InvariantCulture)}.").ConfigureAwait(false);
            return BadInput;
        }

        ScenarioRunnerOptions options = new() { ApiKey = settings.ApiKey, AdminToken = settings.AdminToken, DeliveryTimeout = TimeSpan.FromSeconds(settings.DeliveryTimeoutSeconds) };
        KobbopaySimulator? inProcess = null;
        ScenarioRunner runner;
        if (settings.Simulator is { } address)
        {
            if (!Uri.TryCreate(address, UriKind.Absolute, out Uri? url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                await error.WriteLineAsync($"--simulator must be an absolute http or https address; '{address}' is not.").ConfigureAwait(false);
                return BadInput;
            }

            if (await ProbeAsync(url, settings.AdminToken, cancellationToken).ConfigureAwait(false) is { } problem)
            {
                await error.WriteLineAsync(problem).ConfigureAwait(false);
                return Unreachable;
            }

            runner = new ScenarioRunner(url, options);
            await output.WriteLineAsync($"Running {scenarios.Count} scenario(s) against the simulator at {url}").ConfigureAwait(false);
        }
        else
        {
            KobbopaySimulatorOptions simulatorOptions = new() { ClockMode = SimulatorClockMode.Manual };
            if (settings.ApiKey is { } key)
            {
                SimulatorEnvironmentOptions test = new() { Name = "test" };
                test.ApiKeys.Add(key);
                simulatorOptions.Environments.Add(test);
            }

            try
            {
                inProcess = await KobbopaySimulator.StartAsync(simulatorOptions, cancellationToken).ConfigureAwait(false);
            }
            catch (ArgumentException ex)
            {
                await error.WriteLineAsync(ex.Message).ConfigureAwait(false);
                return BadInput;
            }

            runner = new ScenarioRunner(inProcess, options);
            await output.WriteLineAsync($"Running {scenarios.Count} scenario(s) against a simulator in process ({inProcess.Clock})").ConfigureAwait(false);
        }

        List<ScenarioResult> results = [];
        try
        {
            foreach (Scenario scenario in scenarios)
            {
                ScenarioResult result = await runner.RunAsync(scenario, cancellationToken).ConfigureAwait(false);
                results.Add(result);
                await PrintAsync(result, output).ConfigureAwait(false);
            }
        }
        finally
        {
            if (inProcess is not null)
            {
                await inProcess.DisposeAsync().ConfigureAwait(false);
            }
        }

        int steps = results.Sum(r => r.Steps.Count);
        int failed = results.Sum(r => r.Steps.Count(s => s.Outcome == ScenarioStepOutcome.Failed)) + results.Count(r => r.Error is not null);
        int skipped = results.Sum(r => r.Steps.Count(s => s.Outcome == ScenarioStepOutcome.Skipped));
        int passedScenarios = results.Count(r => r.Passed);
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync(
            $"{passedScenarios} of {results.Count} scenario(s) passed; {steps} step(s): {steps - skipped - (failed - results.Count(r => r.Error is not null))} passed, {failed} failed, {skipped} skipped.").ConfigureAwait(false);

        if (settings.JUnitPath is { } path)
        {
            try
            {
                string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
                if (folder is not null)
                {
                    Directory.CreateDirectory(folder);
                }

                await using FileStream stream = File.Create(path);
                await using XmlWriter writer = XmlWriter.Create(stream, new XmlWriterSettings { Async = true, Indent = true, Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false) });
                await ScenarioJUnitReport.Create(results).SaveAsync(writer, cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync($"JUnit report: {Path.GetFullPath(path)}").ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                await error.WriteLineAsync($"--junit: cannot write {path}: {ex.Message}").ConfigureAwait(false);
                return BadInput;
            }
        }

        return passedScenarios == results.Count ? Passed : Failed;
    }

    private static async Task<List<Scenario>?> LoadAsync(Settings settings, TextWriter error, CancellationToken cancellationToken)
    {
        if (settings.Files.Count == 0 && !settings.Shipped)
        {
            await error.WriteLineAsync("Give one or more scenario files, or --shipped for the scenarios shipped with the simulator.").ConfigureAwait(false);
            return null;
        }

        List<Scenario> scenarios = settings.Shipped ? [.. Scenario.ShippedNames.Select(Scenario.LoadShipped)] : [];
        bool bad = false;
        foreach (string file in settings.Files)
        {
            try
            {
                scenarios.Add(await Scenario.LoadAsync(file, cancellationToken).ConfigureAwait(false));
            }
            catch (ScenarioFormatException ex)
            {
                // Every bad file is reported, not only the first; nothing runs.
                await error.WriteLineAsync(ex.Message).ConfigureAwait(false);
                bad = true;
            }
        }

        return bad ? null : scenarios;
    }

    /// <summary>Reads the simulator's clock: the control API answers, and takes the admin token; the problem, or <see langword="null"/>.</summary>
    private static async Task<string?> ProbeAsync(Uri url, string? adminToken, CancellationToken cancellationToken)
    {
        using HttpClient http = SimulatorControl.CreateClient(url, adminToken, TimeSpan.FromSeconds(10));

        try
        {
            using HttpResponseMessage response = await http.GetAsync("_sim/clock", cancellationToken).ConfigureAwait(false);
            return response.StatusCode switch
            {
                HttpStatusCode.OK => null,
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => $"The simulator at {url} refused the control API ({(int)response.StatusCode}): give its admin token with --admin-token or KOBBOPAY_SIM_ADMIN_TOKEN.",
                _ => $"The simulator at {url} answered GET /_sim/clock with {(int)response.StatusCode}: is it a Kobbopay simulator?",
            };
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return $"The simulator at {url} did not answer: {ex.Message}";
        }
    }

    private static async Task PrintAsync(ScenarioResult result, TextWriter output)
    {
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync($"{(result.Passed ? "✓" : "✗")} {result.Scenario.Name}{(result.Scenario.Source is { } source ? $"  ({source})" : string.Empty)}").ConfigureAwait(false);
        if (result.Error is { } error)
        {
            await output.WriteLineAsync($"    {error}").ConfigureAwait(false);
        }

        foreach (ScenarioStepResult step in result.Steps)
        {
            string mark = step.Outcome switch { ScenarioStepOutcome.Passed => "✓", ScenarioStepOutcome.Failed => "✗", _ => "-" };
            string tail = step.Outcome == ScenarioStepOutcome.Skipped ? "skipped" : $"{step.Duration.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms";
            string what = StepText.Describe(step.Step) is { Length: > 0 } text ? $"{step.Title}: {text}" : step.Title;
            await output.WriteLineAsync($"  {mark} {what,-74} {tail}").ConfigureAwait(false);
            if (step.Message is { } message)
            {
                await output.WriteLineAsync($"      {message}").ConfigureAwait(false);
            }
        }
    }

    /// <summary>What the command line asked for.</summary>
    /// <param name="Files">The scenario files.</param>
    /// <param name="Shipped">Whether to run the shipped scenarios first.</param>
    /// <param name="Simulator">A running simulator's address; <see langword="null"/> to start one in process.</param>
    /// <param name="ApiKey">The API key; <see langword="null"/> for the default.</param>
    /// <param name="AdminToken">The admin token; <see langword="null"/> for none.</param>
    /// <param name="JUnitPath">Where to write the JUnit report; <see langword="null"/> for nowhere.</param>
    /// <param name="DeliveryTimeoutSeconds">How long an expectDelivery step waits for deliveries to settle.</param>
    internal sealed record Settings(
        IReadOnlyList<string> Files,
        bool Shipped,
        string? Simulator = null,
        string? ApiKey = null,
        string? AdminToken = null,
        string? JUnitPath = null,
        double DeliveryTimeoutSeconds = 10);
}
