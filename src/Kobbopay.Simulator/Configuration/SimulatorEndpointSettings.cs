namespace Kobbopay.Simulator.Internal.Configuration;

/// <summary>One webhook endpoint from configuration (<c>Kobbopay:Simulator:WebhookEndpoints:N</c>).</summary>
internal sealed class SimulatorEndpointSettings
{
    /// <summary>Gets or sets the endpoint's address.</summary>
    public string? Url { get; set; }

    /// <summary>Gets or sets the signing secret; generated when left out.</summary>
    public string? Secret { get; set; }

    /// <summary>Gets or sets the signature scheme.</summary>
    public string? Scheme { get; set; }
}
