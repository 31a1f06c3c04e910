namespace Kobbopay.Simulator.Internal;

/// <summary>The engine's reads for the dashboard: payments of every environment, a payment's events, and a change count.</summary>
internal sealed partial class PaymentEngine
{
    /// <summary>Lists the newest payments of every environment, newest first, with their environment's name.</summary>
    /// <param name="status">Only payments in this status, or every status when <see langword="null"/>.</param>
    /// <param name="limit">At most this many.</param>
    public List<(PaymentDto Dto, string Environment)> ListAcrossEnvironments(string? status, int limit)
    {
        lock (_gate)
        {
            RunDueLocked(_clock.GetUtcNow());
            List<PaymentRecord> newest = [];
            foreach (EnvironmentState env in _environments.Values)
            {
                int taken = 0;
                for (int i = env.Payments.Count - 1; i >= 0 && taken < limit; i--)
                {
                    if (status is null || string.Equals(env.Payments[i].Status, status, StringComparison.Ordinal))
                    {
                        newest.Add(env.Payments[i]);
                        taken++;
                    }
                }
            }

            return [.. newest
                .OrderByDescending(p => p.CreatedAt)
                .ThenByDescending(p => p.Ordinal)
                .Take(limit)
                .Select(p => (ToDto(p), p.Environment.Name))];
        }
    }

    /// <summary>Finds a payment with its events, oldest first; <see langword="null"/> when no payment has that id.</summary>
    public (PaymentDto Dto, string Environment, List<EventDto> Events)? FindWithEvents(string id)
    {
        lock (_gate)
        {
            RunDueLocked(_clock.GetUtcNow());
            if (!_byId.TryGetValue(id, out PaymentRecord? payment))
            {
                return null;
            }

            // A payment has one event per sequence number: walk back from the newest until all of them are found.
            List<EventDto> events = new(payment.LastSequence);
            List<EventRecord> all = payment.Environment.Events;
            for (int i = all.Count - 1; i >= 0 && events.Count < payment.LastSequence; i--)
            {
                if (ReferenceEquals(all[i].Payment, payment))
                {
                    events.Add(all[i].ToDto());
                }
            }

            events.Reverse();
            return (ToDto(payment), payment.Environment.Name, events);
        }
    }

    /// <summary>Gets a number that changes whenever a payment is created or changes, or the payments are reset: the events emitted plus the payments held.</summary>
    public long ChangeCount
    {
        get
        {
            lock (_gate)
            {
                long count = _byId.Count;
                foreach (EnvironmentState env in _environments.Values)
                {
                    count += env.Events.Count;
                }

                return count;
            }
        }
    }
}
