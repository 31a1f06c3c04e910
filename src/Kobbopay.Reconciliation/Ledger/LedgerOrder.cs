namespace Kobbopay.Reconciliation;

/// <summary>One order in the merchant's books, as the reconciler compares it with the gateway.</summary>
/// <param name="OrderId">The order id: the <c>orderId</c> the payment was created with.</param>
/// <param name="Amount">The amount the order is for, in <paramref name="Currency"/>.</param>
/// <param name="Currency">The currency the order is priced in, for example <c>USDT</c>.</param>
/// <param name="Status">The merchant's own status of the order, read through an <see cref="OrderStatusMapping"/>.</param>
public sealed record LedgerOrder(string OrderId, decimal Amount, string Currency, string Status);
