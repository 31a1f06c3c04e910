using System.Diagnostics;
using Kobbopay.Contracts;
using Kobbopay.Simulator.Commands;
using Kobbopay.Simulator.Scenarios.Internal;

namespace Kobbopay.Simulator.Scenarios;

/// <summary>
/// Runs <see cref="Scenario"/>s against a simulator in this process or a running one at an address (its control API,
/// <c>/_sim</c>), and reports a result per step. Steps run in order; after a failure the rest are skipped. The
/// endpoints a scenario declares are registered for its run and removed after it.
/// </summary>
/// <example>
/// <code>
/// await using var sim = await KobbopaySimulator.StartAsync();
/// ScenarioResult result = await new ScenarioRunner(sim).RunAsync(Scenario.LoadShipped("paid-then-confirmed.json"));
/// </code>
/// </example>
public sealed class ScenarioRunner
{
    private readonly KobbopaySimulator? _simulator;
    private readonly Uri? _address;
    private readonly ScenarioRunnerOptions _options;

    /// <summary>Initializes a runner against a simulator in this process.</summary>
    /// <param name="simulator">The simulator.</param>
    /// <param name="options">The settings; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it.</exception>
    public ScenarioRunner(KobbopaySimulator simulator, ScenarioRunnerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        _simulator = simulator;
        _options = options ?? new ScenarioRunnerOptions();
        _options.Validate();
    }

    /// <summary>Initializes a runner against a running simulator, over HTTP.</summary>
    /// <param name="simulatorAddress">The simulator's base address, such as <c>http://127.0.0.1:5080/</c>.</param>
    /// <param name="options">The settings (API key, admin token); <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">The address is not absolute http or https, or a setting is invalid; the message names it.</exception>
    public ScenarioRunner(Uri simulatorAddress, ScenarioRunnerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(simulatorAddress);
        if (!simulatorAddress.IsAbsoluteUri || (simulatorAddress.Scheme != Uri.UriSchemeHttp && simulatorAddress.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"The simulator's address must be an absolute http or https address; '{simulatorAddress}' is not.", nameof(simulatorAddress));
        }

        _address = SimulatorControl.BaseAddress(simulatorAddress);
        _options = options ?? new ScenarioRunnerOptions();
        _options.Validate();
    }

    /// <summary>Runs a scenario.</summary>
    /// <param name="scenario">The scenario.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>A result per step; <see cref="ScenarioResult.Passed"/> when every one passed.</returns>
    public async Task<ScenarioResult> RunAsync(Scenario scenario, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        long started = Stopwatch.GetTimestamp();
        using ScenarioTarget target = CreateTarget();
        List<(string Name, int Status)> builtIn = [.. scenario.Endpoints.Where(e => e.Value.Url is null).Select(e => (e.Key, e.Value.Respond ?? 200))];
        ScenarioReceivers? receivers = null;
        Dictionary<string, string> endpointIds = new(StringComparer.Ordinal);
        string? error = null;
        List<ScenarioStepResult> results = [];
        try
        {
            try
            {
                receivers = builtIn.Count == 0 ? null : await ScenarioReceivers.StartAsync(builtIn, cancellationToken).ConfigureAwait(false);
                foreach ((string name, ScenarioEndpoint endpoint) in scenario.Endpoints)
                {
                    endpointIds[name] = await target.AddEndpointAsync(endpoint.Url ?? receivers!.Urls[name], cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is SimulatorException or HttpRequestException or IOException or InvalidOperationException)
            {
                error = $"the scenario could not start: registering its endpoints failed: {ex.Message}";
            }

            StepRun run = new(target, _options, endpointIds);
            foreach (ScenarioStep step in scenario.Steps)
            {
                int number = results.Count + 1;
                if (error is not null || results.Any(r => r.Outcome != ScenarioStepOutcome.Passed))
                {
                    results.Add(new ScenarioStepResult(number, step, ScenarioStepOutcome.Skipped, null, TimeSpan.Zero));
                    continue;
                }

                long stepStarted = Stopwatch.GetTimestamp();
                string? failure = await run.RunAsync(step, $"step {number} ({step})", cancellationToken).ConfigureAwait(false);
                results.Add(new ScenarioStepResult(number, step, failure is null ? ScenarioStepOutcome.Passed : ScenarioStepOutcome.Failed, failure, Stopwatch.GetElapsedTime(stepStarted)));
            }
        }
        finally
        {
            foreach (string id in endpointIds.Values)
            {
                try
                {
                    await target.RemoveEndpointAsync(id, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is SimulatorException or HttpRequestException)
                {
                    // Best effort: the endpoint stays registered at a simulator that went away or refused.
                }
            }

            if (receivers is not null)
            {
                await receivers.DisposeAsync().ConfigureAwait(false);
            }
        }

        return new ScenarioResult { Scenario = scenario, Steps = results, Error = error, Duration = Stopwatch.GetElapsedTime(started) };
    }

    private ScenarioTarget CreateTarget()
    {
        if (_simulator is not null)
        {
            HttpClient inProcess = new() { BaseAddress = _simulator.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            inProcess.DefaultRequestHeaders.Add(_simulator.State.Options.ApiKeyHeaderName, _options.ApiKey ?? _simulator.TestApiKey);
            return new InProcessTarget(_simulator, inProcess);
        }

        // The other constructor: no simulator in process, so the address is set.
        HttpClient api = SimulatorControl.CreateClient(_address!, _options.AdminToken, TimeSpan.FromSeconds(30));
        api.DefaultRequestHeaders.Add(KobbopayHeaders.ApiKey, _options.ApiKey ?? KobbopaySimulatorOptions.DefaultTestApiKey);
        return new HttpTarget(api);
    }
}
