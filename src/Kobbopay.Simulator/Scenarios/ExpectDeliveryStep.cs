namespace Kobbopay.Simulator.Scenarios;

/// <summary>
/// Expects a webhook delivery of an event type about a payment to a declared endpoint, with an attempt the endpoint
/// answered with an HTTP status (<c>expectDelivery</c>). The runner first waits for the deliveries to settle.
/// </summary>
public sealed class ExpectDeliveryStep : PaymentStep
{
    /// <summary>Gets the HTTP status an attempt was answered with.</summary>
    public required int Status { get; init; }

    /// <summary>Gets the event type, such as <c>payment.paid</c>.</summary>
    public required string Event { get; init; }

    /// <summary>Gets the name of the endpoint, one of <see cref="Scenario.Endpoints"/>.</summary>
    public required string Endpoint { get; init; }

    /// <inheritdoc/>
    public override string Kind => "expectDelivery";
}
