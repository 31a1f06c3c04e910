namespace Kobbopay.Simulator.Tests.TestSupport;

/// <summary>Shared values and shortcuts for tests that start a simulator.</summary>
internal static class Sim
{
    /// <summary>The manual clock's start in every test: whole seconds, so timestamps compare exactly.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Options with the fixed clock start; everything else at its default.</summary>
    public static KobbopaySimulatorOptions Options() => new() { ClockStart = Start };

    /// <summary>Starts a simulator with <see cref="Options"/>.</summary>
    public static Task<KobbopaySimulator> StartAsync() => KobbopaySimulator.StartAsync(Options(), Ct);

    /// <summary>A client with the simulator's test API key.</summary>
    public static HttpClient CreateClient(this KobbopaySimulator sim, bool reuseConnections = true)
        => SimulatorHttp.CreateClient(sim.BaseAddress, sim.TestApiKey, reuseConnections: reuseConnections);

    /// <summary>A client with no API key, for the control API and authentication tests.</summary>
    public static HttpClient CreateAnonymousClient(this KobbopaySimulator sim)
        => SimulatorHttp.CreateClient(sim.BaseAddress, apiKey: null);
}
