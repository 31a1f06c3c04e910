using System.Runtime.CompilerServices;

namespace Kobbopay.Reconciliation.Tests.TestSupport;

/// <summary>The merchant's books as a test double: orders with the time they were placed.</summary>
internal sealed class InMemoryOrderLedger : IOrderLedger
{
    private readonly List<(LedgerOrder Order, DateTimeOffset PlacedAt)> _orders = [];
    private Exception? _failure;

    public void Add(LedgerOrder order, DateTimeOffset placedAt) => _orders.Add((order, placedAt));

    /// <summary>Gets or sets a failure the next read of the period throws (once), as books that are offline.</summary>
    public Exception? FailNextRead
    {
        get => Volatile.Read(ref _failure);
        set => Volatile.Write(ref _failure, value);
    }

    public async IAsyncEnumerable<LedgerOrder> GetOrdersAsync(DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _failure, null) is { } failure)
        {
            throw failure;
        }

        foreach ((LedgerOrder order, DateTimeOffset placedAt) in _orders)
        {
            await Task.Yield();
            if (placedAt >= from && placedAt < to)
            {
                yield return order;
            }
        }
    }

    public ValueTask<LedgerOrder?> FindOrderAsync(string orderId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_orders.Select(o => o.Order).FirstOrDefault(o => o.OrderId == orderId));
}
