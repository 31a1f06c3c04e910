namespace Kobbopay.Simulator.Internal.Delivery;

/// <summary>One event on its way to one endpoint, as <see cref="WebhookDispatcher"/> keeps it; changed only under its lock.</summary>
internal sealed class DeliveryState(string id, string eventId, string eventType, string paymentId, EndpointState endpoint, byte[] body)
{
    /// <summary>The delivery's id (<c>dlv_…</c>).</summary>
    public string Id { get; } = id;

    /// <summary>The event's id.</summary>
    public string EventId { get; } = eventId;

    /// <summary>The event's type.</summary>
    public string EventType { get; } = eventType;

    /// <summary>The payment the event is about.</summary>
    public string PaymentId { get; } = paymentId;

    /// <summary>Where it goes.</summary>
    public EndpointState Endpoint { get; } = endpoint;

    /// <summary>The event as sent, the same bytes on every attempt.</summary>
    public byte[] Body { get; } = body;

    /// <summary>Every attempt made, duplicate copies included.</summary>
    public List<SimulatedDeliveryAttempt> Attempts { get; } = [];

    /// <summary><c>pending</c>, <c>succeeded</c>, <c>failed</c> or <c>cancelled</c>.</summary>
    public string Status { get; set; } = "pending";

    /// <summary>When the next attempt falls due on the simulator's clock; <see langword="null"/> when none will.</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }

    /// <summary>How many attempts were started (a duplicate copy shares its attempt's number).</summary>
    public int AttemptCount { get; set; }

    /// <summary>Whether an attempt is under way.</summary>
    public bool InFlight { get; set; }

    /// <summary>Whether the attempt due is a redelivery asked for (never dropped by fault injection); cleared when it ends.</summary>
    public bool Redelivery { get; set; }

    /// <summary>A copy for the control API.</summary>
    public SimulatedDelivery Snapshot() => new(Id, EventId, EventType, PaymentId, Endpoint.Id, Status, [.. Attempts], NextAttemptAt)
    {
        Url = Endpoint.Url,
        Body = System.Text.Encoding.UTF8.GetString(Body),
    };
}
