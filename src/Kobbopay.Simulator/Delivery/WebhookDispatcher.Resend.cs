using System.Text.Json;

namespace Kobbopay.Simulator.Internal.Delivery;

/// <summary>Resending an event by its id: new deliveries of the same bytes, to its endpoints, one endpoint, or a one-off address.</summary>
internal sealed partial class WebhookDispatcher
{
    /// <summary>
    /// Queues new deliveries of the event <paramref name="find"/> gives (once the arguments are checked), due now: to
    /// every enabled endpoint that takes its environment
    /// (neither <paramref name="url"/> nor <paramref name="endpointId"/>), to the endpoint <paramref name="endpointId"/>
    /// (whatever environment it takes), or to the one-off address <paramref name="url"/>, signed with
    /// <paramref name="secret"/> and <paramref name="scheme"/> or else with the first endpoint that takes the environment.
    /// Each is a delivery like any other (a new id, the event's bytes, retried on the schedule), never dropped by fault
    /// injection on its first attempt. Throws <c>invalid_request</c> (both targets, a bad address, a secret without an
    /// address, no secret to sign a one-off address with), <c>endpoint_not_found</c> or <c>endpoint_disabled</c>.
    /// </summary>
    /// <returns>The new deliveries, as queued (their first attempts start at once); none when no endpoint takes the environment.</returns>
    public IReadOnlyList<SimulatedDelivery> Resend(Func<(EventDto Event, string Environment)> find, Uri? url, string? endpointId, string? secret, string? scheme)
    {
        if (url is not null && endpointId is not null)
        {
            throw new SimulatorException("invalid_request", "Give url or endpointId, not both.") { Param = "endpointId" };
        }

        if (url is null && (secret is not null || scheme is not null))
        {
            throw new SimulatorException("invalid_request", "secret and scheme sign a resend to a one-off url; give url with them.") { Param = secret is not null ? "secret" : "scheme" };
        }

        if (url is not null)
        {
            CheckUrl(url);
        }

        if (scheme is not null)
        {
            CheckSigning(secret ?? string.Empty, scheme, schemeOnly: secret is null); // an unknown scheme is named before any secret is looked for
        }

        (EventDto e, string environment) = find();
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(e, SimulatorJsonContext.Default.EventDto);
        List<SimulatedDelivery> snapshots = [];
        lock (_gate)
        {
            foreach (EndpointState endpoint in Targets(environment, url, endpointId, secret, scheme))
            {
                DeliveryState delivery = new(Wire.NewId("dlv_"), e.Id, e.Type, e.PaymentId, endpoint, body) { NextAttemptAt = _clock.GetUtcNow(), Redelivery = true };
                _deliveries.Add(delivery.Id, delivery);
                _order.Add(delivery);
                _due.Enqueue(delivery, delivery.NextAttemptAt.Value);
                snapshots.Add(delivery.Snapshot());
            }
        }

        Pump();
        return snapshots;
    }

    /// <summary>Where a resend goes; called under the lock.</summary>
    private List<EndpointState> Targets(string environment, Uri? url, string? endpointId, string? secret, string? scheme)
    {
        if (endpointId is not null)
        {
            EndpointState endpoint = _endpoints.Find(x => x.Id == endpointId) ?? throw new SimulatorException("endpoint_not_found", $"No webhook endpoint has the id {endpointId}.");
            return endpoint.Enabled
                ? [endpoint]
                : throw new SimulatorException("endpoint_disabled", $"The endpoint {endpointId} is disabled ({endpoint.DisabledReason}); enable it with POST /_sim/webhook-endpoints/{endpointId}/enable first. Nothing was sent.");
        }

        List<EndpointState> takers = _endpoints.FindAll(x => x.Environment is null || string.Equals(x.Environment, environment, StringComparison.OrdinalIgnoreCase));
        if (url is null)
        {
            return takers.FindAll(x => x.Enabled);
        }

        EndpointState? first = takers.Count > 0 ? takers[0] : null;
        string signingScheme = scheme ?? first?.Scheme ?? "hmac-sha256-hex";
        string signingSecret = secret
            ?? (first is not null && first.Scheme == signingScheme ? first.Secret : null)
            ?? throw new SimulatorException("invalid_request", first is null
                ? $"No webhook endpoint takes the {environment} environment to sign with: give the secret."
                : $"The environment's first endpoint signs with {first.Scheme}, not {signingScheme}: give the secret.") { Param = "secret" };
        CheckSigning(signingSecret, signingScheme);
        return [new EndpointState(null, url, signingSecret, signingScheme, environment)];
    }
}
