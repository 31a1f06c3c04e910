namespace Kobbopay.Simulator.Internal.Configuration;

/// <summary>
/// The program's settings from configuration (section <c>Kobbopay:Simulator</c> of <c>appsettings.json</c>, <c>--config</c>
/// and <c>Kobbopay__Simulator__…</c> environment variables): what the command line's flags say, each left
/// <see langword="null"/> when configuration does not set it, so a flag's default applies.
/// </summary>
internal sealed class SimulatorSettings
{
    /// <summary>The section the settings are read from.</summary>
    public const string Section = "Kobbopay:Simulator";

    /// <summary>Gets or sets the address to listen on (<c>--listen</c>).</summary>
    public string? ListenAddress { get; set; }

    /// <summary>Gets or sets the port to listen on (<c>--port</c>).</summary>
    public int? Port { get; set; }

    /// <summary>Gets or sets how the clock moves (<c>--clock</c>).</summary>
    public SimulatorClockMode? Clock { get; set; }

    /// <summary>Gets or sets the test environment's API key (<c>--api-key</c>).</summary>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the control and admin APIs' token (<c>--admin-token</c>).</summary>
    public string? AdminToken { get; set; }

    /// <summary>Gets or sets whether a paid payment may expire (<c>--allow-paid-to-expire</c>).</summary>
    public bool? AllowPaidToExpire { get; set; }

    /// <summary>Gets or sets the API faults and the seed of both generators.</summary>
    public SimulatorFaultSettings Faults { get; set; } = new();

    /// <summary>Gets or sets the webhook delivery faults.</summary>
    public SimulatorWebhookFaultSettings WebhookFaults { get; set; } = new();

    /// <summary>Gets or sets the webhook endpoints registered at start.</summary>
    public List<SimulatorEndpointSettings> WebhookEndpoints { get; set; } = [];

    /// <summary>Gets or sets how the simulated chain moves payments by itself.</summary>
    public SimulatorChainSettings Chain { get; set; } = new();

    /// <summary>Gets or sets a folder of WireMock mapping files (<c>--mappings</c>).</summary>
    public string? Mappings { get; set; }

    /// <summary>Gets or sets the gateway the <c>/v1</c> API is forwarded to (<c>--proxy-to</c>).</summary>
    public string? ProxyTo { get; set; }

    /// <summary>Gets or sets whether proxied answers are kept as stubs (<c>--record</c>).</summary>
    public bool? Record { get; set; }

    /// <summary>Gets or sets how many requests the journal keeps (<c>--journal-size</c>).</summary>
    public int? JournalSize { get; set; }
}
