using System.Text.Json;

namespace Kobbopay.Simulator.Internal.Delivery;

/// <summary>
/// The deliveries and their schedule: queued as events happen, started as they fall due on the simulator's clock
/// (with the faults drawn for each attempt), sent again on request, listed and cleared.
/// </summary>
internal sealed partial class WebhookDispatcher
{
    /// <summary>Forgets every delivery (for <c>POST /_sim/reset</c>); an attempt under way is not retried. Endpoints stay.</summary>
    public void ClearDeliveries()
    {
        lock (_gate)
        {
            foreach (DeliveryState delivery in _order)
            {
                delivery.Status = "cancelled";
                delivery.NextAttemptAt = null;
            }

            _deliveries.Clear();
            _order.Clear();
            _due.Clear();
        }
    }

    /// <summary>Every delivery, oldest first, with its attempts.</summary>
    public IReadOnlyList<SimulatedDelivery> Deliveries
    {
        get
        {
            lock (_gate)
            {
                return [.. _order.Select(d => d.Snapshot())];
            }
        }
    }

    /// <summary>Queues an event for every endpoint that takes its environment; called by the engine as the event happens.</summary>
    public void Enqueue(string environment, Func<EventDto> render)
    {
        lock (_gate)
        {
            if (_endpoints.Count == 0)
            {
                return; // nothing to deliver to: the event is not even rendered
            }

            EventDto e = render();

            byte[] body = JsonSerializer.SerializeToUtf8Bytes(e, SimulatorJsonContext.Default.EventDto);
            DateTimeOffset now = _clock.GetUtcNow();
            foreach (EndpointState endpoint in _endpoints)
            {
                if (!endpoint.Enabled || (endpoint.Environment is not null && !string.Equals(endpoint.Environment, environment, StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }

                DeliveryState delivery = new(Wire.NewId("dlv_"), e.Id, e.Type, e.PaymentId, endpoint, body) { NextAttemptAt = now };
                _deliveries.Add(delivery.Id, delivery);
                _order.Add(delivery);
                _due.Enqueue(delivery, now);
            }
        }

        // Called under the engine's lock: start the attempts from the thread pool, not from here.
        ThreadPool.QueueUserWorkItem(static d => d.Pump(), this, preferLocal: false);
    }

    /// <summary>
    /// Sends a delivery again at the current simulated time. Throws <c>delivery_not_found</c>, or <c>endpoint_not_found</c> /
    /// <c>endpoint_disabled</c> (nothing sent) when its endpoint was removed or is disabled.
    /// </summary>
    public SimulatedDelivery Redeliver(string deliveryId)
    {
        lock (_gate)
        {
            if (!_deliveries.TryGetValue(deliveryId, out DeliveryState? delivery))
            {
                throw new SimulatorException("delivery_not_found", "No delivery has that id.");
            }

            if (delivery.Endpoint.Id is not null && !_endpoints.Contains(delivery.Endpoint))
            {
                throw new SimulatorException("endpoint_not_found", $"The delivery's endpoint {delivery.Endpoint.Id} was removed; nothing was sent.");
            }

            if (!delivery.Endpoint.Enabled)
            {
                throw new SimulatorException("endpoint_disabled", $"The delivery's endpoint {delivery.Endpoint.Id} is disabled ({delivery.Endpoint.DisabledReason}); enable it with POST /_sim/webhook-endpoints/{delivery.Endpoint.Id}/enable first. Nothing was sent.");
            }

            delivery.Status = "pending";
            delivery.NextAttemptAt = _clock.GetUtcNow();
            delivery.Redelivery = true;
            _due.Enqueue(delivery, delivery.NextAttemptAt.Value);
        }

        Pump();
        return Find(deliveryId);
    }

    /// <summary>One delivery, with its attempts; throws <c>delivery_not_found</c> when no delivery has that id.</summary>
    public SimulatedDelivery Find(string deliveryId)
    {
        lock (_gate)
        {
            return _deliveries.TryGetValue(deliveryId, out DeliveryState? d) ? d.Snapshot() : throw new SimulatorException("delivery_not_found", "No delivery has that id.");
        }
    }

    /// <summary>Starts every attempt that is due on the simulator's clock.</summary>
    public void Pump()
    {
        List<(DeliveryState Delivery, int Number, string? Fault, TimeSpan Hold, bool Duplicate, DateTimeOffset DueAt)> start = [];
        lock (_gate)
        {
            DateTimeOffset now = _clock.GetUtcNow();
            while (_due.TryPeek(out DeliveryState? d, out DateTimeOffset at) && at <= now)
            {
                _due.Dequeue();
                if (d.Status != "pending" || d.NextAttemptAt != at || d.InFlight)
                {
                    continue; // a stale entry: the delivery was rescheduled or finished
                }

                d.InFlight = true;
                _inFlight++;
                int number = d.AttemptCount + 1;
                d.AttemptCount = number;
                SimulatorWebhookFaultOptions f = _faults;
                double u1 = _random.NextDouble(), u2 = _random.NextDouble(), u3 = _random.NextDouble(), u4 = _random.NextDouble();
                if (number == 1 && !d.Redelivery && u1 < f.DropFirstAttemptRate)
                {
                    start.Add((d, number, "dropped", TimeSpan.Zero, false, at));
                    continue;
                }

                TimeSpan hold = u2 < f.ReorderRate ? TimeSpan.FromMilliseconds(u4 * f.ReorderMaxDelayMilliseconds) : TimeSpan.Zero;
                start.Add((d, number, hold > TimeSpan.Zero ? "reordered" : null, hold, u3 < f.DuplicateRate, at));
            }

            if (_inFlight == 0)
            {
                _idle.TrySetResult();
            }
        }

        foreach (var (delivery, number, fault, hold, duplicate, dueAt) in start)
        {
            Track(AttemptAsync(delivery, number, fault, hold, duplicate, dueAt));
        }
    }

    /// <summary>Keeps a started attempt until it ends (disposal waits for it), then starts whatever fell due meanwhile.</summary>
    private void Track(Task task)
    {
        lock (_gate)
        {
            _running.Add(task);
        }

        _ = task.ContinueWith(
            t =>
            {
                lock (_gate)
                {
                    _running.Remove(t);
                }

                Pump();
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }
}
