using System.Collections.Concurrent;
using Kobbopay.Sdk;

namespace Shop;

// Every event of each order, once per dedupe key, in the order they arrived; in your app, a table.
public sealed class OrderHistory
{
    private readonly ConcurrentDictionary<string, PaymentEvent> _events = new(StringComparer.Ordinal);

    public Task AddAsync(PaymentEvent paymentEvent, string dedupeKey, CancellationToken ct)
    {
        _events.TryAdd(dedupeKey, paymentEvent);
        return Task.CompletedTask;
    }

    public IEnumerable<PaymentEvent> Of(string orderId) => _events.Values.Where(e => e.Payment?.OrderId == orderId);
}
