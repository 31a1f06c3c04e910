namespace Kobbopay.Simulator;

/// <summary>One environment the simulator hosts: its API keys and its rails.</summary>
public sealed class SimulatorEnvironmentOptions
{
    /// <summary>Gets or sets the environment's name, shown in recorded requests and payments.</summary>
    /// <value>Defaults to <c>test</c>.</value>
    public string Name { get; set; } = "test";

    /// <summary>Gets or sets a value indicating whether this is a production environment, whose keys start with <c>kp_live_</c>; otherwise they start with <c>kp_test_</c>.</summary>
    /// <value>Defaults to <see langword="false"/>.</value>
    public bool IsProduction { get; set; }

    /// <summary>Gets the API keys accepted for this environment. At least one is required.</summary>
    public IList<string> ApiKeys { get; } = [];

    /// <summary>Gets the network and currency pairs enabled in this environment. At least one is required.</summary>
    public IList<SimulatorRail> Rails { get; } = [];

    /// <summary>Gets the rails a new environment gets when none are configured.</summary>
    public static IReadOnlyList<SimulatorRail> DefaultRails { get; } =
    [
        new("example-network", "USDT", 6),
        new("ethereum", "USDC", 6),
        new("ethereum", "ETH", 18),
        new("bitcoin", "BTC", 8),
    ];

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Name} ({(IsProduction ? "production" : "non-production")}, {ApiKeys.Count} key(s), {Rails.Count} rail(s))";
}
