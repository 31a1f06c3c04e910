namespace Kobbopay.Simulator.Scenarios;

/// <summary>Settings of a <see cref="ScenarioRunner"/>.</summary>
public sealed class ScenarioRunnerOptions
{
    /// <summary>Gets or sets the API key payments are created with.</summary>
    /// <value>The simulator's <see cref="KobbopaySimulator.TestApiKey"/> in process; <see cref="KobbopaySimulatorOptions.DefaultTestApiKey"/> over HTTP.</value>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the token the simulator's control API requires, sent as <c>Authorization: Bearer</c>; over HTTP only.</summary>
    /// <value><see langword="null"/>: none, as a simulator on loopback without <c>--admin-token</c> wants.</value>
    public string? AdminToken { get; set; }

    /// <summary>Gets or sets how long an <see cref="ExpectDeliveryStep"/> waits for the webhook deliveries to settle before it fails.</summary>
    /// <value>10 seconds.</value>
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it.</exception>
    internal void Validate()
    {
        if (DeliveryTimeout <= TimeSpan.Zero || DeliveryTimeout > TimeSpan.FromHours(1))
        {
            throw new ArgumentException($"DeliveryTimeout must be above zero and at most an hour; it is {DeliveryTimeout}.", nameof(DeliveryTimeout));
        }

        if (ApiKey is { Length: 0 })
        {
            throw new ArgumentException("ApiKey must not be empty; leave it null for the default.", nameof(ApiKey));
        }
    }
}
