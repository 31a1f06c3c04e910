namespace Kobbopay.Simulator.Internal.Delivery;

/// <summary>A cheap fingerprint of the deliveries and endpoints, for the dashboard to notice a change without listing them.</summary>
internal sealed partial class WebhookDispatcher
{
    /// <summary>Gets a value that changes when a delivery is queued, attempted, rescheduled or settled, or an endpoint is added, removed, enabled or disabled.</summary>
    public int Tally
    {
        get
        {
            lock (_gate)
            {
                HashCode hash = default;
                hash.Add(_order.Count);
                foreach (DeliveryState delivery in _order)
                {
                    hash.Add(delivery.Attempts.Count);
                    hash.Add(delivery.Status);
                    hash.Add(delivery.NextAttemptAt);
                }

                hash.Add(_endpoints.Count);
                foreach (EndpointState endpoint in _endpoints)
                {
                    hash.Add(endpoint.Id);
                    hash.Add(endpoint.Enabled);
                }

                hash.Add(_faults);
                return hash.ToHashCode();
            }
        }
    }
}
