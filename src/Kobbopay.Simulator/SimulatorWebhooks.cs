namespace Kobbopay.Simulator;

/// <summary>A webhook endpoint the simulator delivers to, as configured at start.</summary>
public sealed class SimulatorWebhookEndpointOptions
{
    /// <summary>Gets or sets the endpoint's address (http or https).</summary>
    public Uri? Url { get; set; }

    /// <summary>Gets or sets the signing secret; <see langword="null"/> for one generated at start (printed and exportable).</summary>
    public string? Secret { get; set; }

    /// <summary>Gets or sets the signature scheme: <c>hmac-sha256-hex</c> or <c>standard-webhooks</c>.</summary>
    /// <value>Defaults to <c>hmac-sha256-hex</c>.</value>
    public string Scheme { get; set; } = "hmac-sha256-hex";

    /// <summary>Gets or sets the name of the hosted environment whose events go to this endpoint (<c>test</c> by default); <see langword="null"/> for every environment.</summary>
    public string? Environment { get; set; }
}

/// <summary>A registered webhook endpoint. Its secret is the simulator's to share: it is a test secret.</summary>
/// <param name="Id">The endpoint id (<c>we_…</c>).</param>
/// <param name="Url">Where deliveries go.</param>
/// <param name="Secret">The signing secret.</param>
/// <param name="Scheme">The signature scheme.</param>
/// <param name="Environment">The environment whose events it receives, or <see langword="null"/> for all.</param>
/// <param name="Enabled">Whether deliveries are still made (an endpoint answering 410 is disabled).</param>
/// <param name="DisabledReason">Why it was disabled, when it was.</param>
public sealed record SimulatedWebhookEndpoint(string Id, Uri Url, string Secret, string Scheme, string? Environment, bool Enabled, string? DisabledReason);

/// <summary>One attempt to deliver an event to an endpoint.</summary>
/// <param name="Number">The attempt number, from 1 (a duplicate copy shares its attempt's number).</param>
/// <param name="DeliveryAttemptId">The <c>x-delivery-id</c> sent (new per attempt and per copy).</param>
/// <param name="StartedAt">When it started, on the simulator's clock.</param>
/// <param name="StatusCode">The endpoint's answer, or 0 when there was none.</param>
/// <param name="LatencyMilliseconds">How long the endpoint took, in real milliseconds.</param>
/// <param name="Error">What went wrong (timeout, connection refused, dropped by fault injection), or <see langword="null"/>.</param>
/// <param name="Fault">The webhook fault applied (<c>duplicate</c>, <c>dropped</c>, <c>reordered</c>, <c>slow</c>), or <see langword="null"/>.</param>
public sealed record SimulatedDeliveryAttempt(int Number, string DeliveryAttemptId, DateTimeOffset StartedAt, int StatusCode, double LatencyMilliseconds, string? Error, string? Fault)
{
    /// <summary>
    /// Gets the request headers sent, by name (<c>content-type</c>, <c>x-event-id</c>, <c>x-delivery-id</c>, the
    /// signature headers of the endpoint's scheme, <c>user-agent</c>); empty for an attempt never sent (dropped by
    /// fault injection). The signature values are here, as sent: the secrets are test secrets, but
    /// <see cref="ToString"/> prints the header names only.
    /// </summary>
    public IReadOnlyDictionary<string, string> RequestHeaders { get; init; } = EmptyHeaders;

    private static IReadOnlyDictionary<string, string> EmptyHeaders { get; } = new Dictionary<string, string>(0);

    /// <summary>Prints the members, with the header names only (never a signature value).</summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"Number = {Number}, DeliveryAttemptId = {DeliveryAttemptId}, StartedAt = {StartedAt:O}, StatusCode = {StatusCode}, ")
            .Append(System.Globalization.CultureInfo.InvariantCulture, $"LatencyMilliseconds = {LatencyMilliseconds}, Error = {Error}, Fault = {Fault}, RequestHeaders = [{string.Join(", ", RequestHeaders.Keys)}]");
        return true;
    }
}

/// <summary>The delivery of one event to one endpoint, with every attempt.</summary>
/// <param name="Id">The delivery id (<c>dlv_…</c>).</param>
/// <param name="EventId">The event delivered.</param>
/// <param name="EventType">The event's type.</param>
/// <param name="PaymentId">The payment the event is about.</param>
/// <param name="EndpointId">The endpoint; <see langword="null"/> for a resend to a one-off address (<see cref="Url"/>), which is no registered endpoint.</param>
/// <param name="Status"><c>pending</c> (more attempts to come), <c>succeeded</c> or <c>failed</c> (schedule exhausted or endpoint disabled).</param>
/// <param name="Attempts">Every attempt, oldest first.</param>
/// <param name="NextAttemptAt">When the next attempt is due on the simulator's clock, while pending.</param>
public sealed record SimulatedDelivery(string Id, string EventId, string EventType, string PaymentId, string? EndpointId, string Status, IReadOnlyList<SimulatedDeliveryAttempt> Attempts, DateTimeOffset? NextAttemptAt)
{
    /// <summary>Gets the address the delivery is POSTed to; <see langword="null"/> only on a record made without it.</summary>
    public Uri? Url { get; init; }

    /// <summary>Gets the body sent, as its JSON text: the same bytes (UTF-8) on every attempt, and on a resend of the same event.</summary>
    public string Body { get; init; } = string.Empty;
}

/// <summary>Seeded faults on webhook delivery; the same seed and the same sequence of deliveries give the same faults.</summary>
public sealed record SimulatorWebhookFaultOptions
{
    /// <summary>Gets the seed of the fault generator.</summary>
    public int Seed { get; init; }

    /// <summary>Gets the share of attempts sent twice (each copy with its own <c>x-delivery-id</c>).</summary>
    public double DuplicateRate { get; init; }

    /// <summary>Gets the share of deliveries whose first attempt is dropped (never sent; retried on the schedule).</summary>
    public double DropFirstAttemptRate { get; init; }

    /// <summary>Gets the share of attempts held back a random real delay of up to <see cref="ReorderMaxDelayMilliseconds"/>, so later events overtake them.</summary>
    public double ReorderRate { get; init; }

    /// <summary>Gets the longest hold of a reordered attempt, in real milliseconds.</summary>
    /// <value>Defaults to 50.</value>
    public int ReorderMaxDelayMilliseconds { get; init; } = 50;

    /// <summary>Gets the fault settings that inject nothing.</summary>
    public static SimulatorWebhookFaultOptions None { get; } = new();

    internal void Validate()
    {
        foreach ((double rate, string name) in new[] { (DuplicateRate, nameof(DuplicateRate)), (DropFirstAttemptRate, nameof(DropFirstAttemptRate)), (ReorderRate, nameof(ReorderRate)) })
        {
            if (double.IsNaN(rate) || rate is < 0 or > 1)
            {
                throw new ArgumentException($"{name} must be between 0 and 1; it is {rate}.", name);
            }
        }

        if (ReorderMaxDelayMilliseconds is < 0 or > 10_000)
        {
            throw new ArgumentException($"ReorderMaxDelayMilliseconds must be between 0 and 10000; it is {ReorderMaxDelayMilliseconds}.", nameof(ReorderMaxDelayMilliseconds));
        }
    }
}

/// <summary>How the simulated chain moves payments by itself (all off by default in process, so tests drive them).</summary>
public sealed class SimulatorChainOptions
{
    /// <summary>Gets or sets how long after creation a payer pays the full amount by itself; <see langword="null"/> never.</summary>
    public TimeSpan? PayAfter { get; set; }

    /// <summary>Gets or sets a value indicating whether a paid payment confirms by itself after <see cref="KobbopaySimulatorOptions.RequiredConfirmations"/> blocks.</summary>
    /// <value>Defaults to <see langword="false"/>.</value>
    public bool AutoConfirm { get; set; }

    /// <summary>Gets or sets the time between blocks.</summary>
    /// <value>Defaults to 15 seconds.</value>
    public TimeSpan BlockInterval { get; set; } = TimeSpan.FromSeconds(15);
}
