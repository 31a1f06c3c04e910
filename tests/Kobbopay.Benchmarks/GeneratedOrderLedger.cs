using System.Globalization;
using Kobbopay.Reconciliation;

namespace Kobbopay.Benchmarks;

/// <summary>
/// The books of the reconciliation benchmark: orders <c>{run}-1</c> to <c>{run}-{count}</c>, each 10.00 USDT and
/// pending (what <see cref="SimulatorBenchmark.CreateAsync"/> creates), made on demand from their number so that the
/// ledger holds nothing and the memory measured is the reconciler's.
/// </summary>
internal sealed class GeneratedOrderLedger(string run, int count) : IOrderLedger
{
    private readonly string _prefix = run + "-";

    public IAsyncEnumerable<LedgerOrder> GetOrdersAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        Enumerable.Range(1, count).Select(Order).ToAsyncEnumerable();

    public ValueTask<LedgerOrder?> FindOrderAsync(string orderId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(
            orderId.StartsWith(_prefix, StringComparison.Ordinal)
            && int.TryParse(orderId.AsSpan(_prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int i)
            && i >= 1 && i <= count
                ? Order(i)
                : null);

    private LedgerOrder Order(int i) => new(_prefix + i.ToString(CultureInfo.InvariantCulture), 10.00m, "USDT", "pending");
}
