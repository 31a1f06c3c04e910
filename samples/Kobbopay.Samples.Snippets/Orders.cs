using System.Collections.Concurrent;
using Kobbopay.Sdk;

namespace Shop;

// The shop's order book; in your app, your database.
public sealed class Orders
{
    private readonly ConcurrentDictionary<string, string> _statuses = new(StringComparer.Ordinal);

    // Idempotent: the same payment applied twice changes nothing.
    public Task ApplyAsync(Payment payment, CancellationToken ct)
    {
        _statuses[payment.OrderId] = payment.Status.Value;
        return Task.CompletedTask;
    }

    public string? Find(string orderId) => _statuses.GetValueOrDefault(orderId);
}
