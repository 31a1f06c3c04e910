namespace Kobbopay.Reconciliation;

/// <summary>
/// The merchant's side of a reconciliation: its orders, read as a stream so that the reconciler never holds them all.
/// Implement it over the merchant's own store (a database query, an ERP export).
/// </summary>
public interface IOrderLedger
{
    /// <summary>Gets the orders created in a period, in any order, one at a time.</summary>
    /// <param name="from">The start of the period, inclusive.</param>
    /// <param name="to">The end of the period, exclusive.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The orders of the period.</returns>
    IAsyncEnumerable<LedgerOrder> GetOrdersAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>Finds one order by id, whenever it was created.</summary>
    /// <param name="orderId">The order id.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The order, or <see langword="null"/> when the books have no order with that id.</returns>
    ValueTask<LedgerOrder?> FindOrderAsync(string orderId, CancellationToken cancellationToken);
}
