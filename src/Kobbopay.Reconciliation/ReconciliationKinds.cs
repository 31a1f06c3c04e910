namespace Kobbopay.Reconciliation;

/// <summary>The kinds of reconciliation exception, spelled as reports carry them.</summary>
public static class ReconciliationKinds
{
    /// <summary>An order of the period has no payment at the gateway.</summary>
    public const string MissingPayment = "missing_payment";

    /// <summary>A payment of the period names no order, or an order the books do not have.</summary>
    public const string OrphanPayment = "orphan_payment";

    /// <summary>An order has more than one payment.</summary>
    public const string DuplicatePayment = "duplicate_payment";

    /// <summary>The books and the gateway disagree on the status, after the mapping.</summary>
    public const string StatusMismatch = "status_mismatch";

    /// <summary>What was received differs from the order's amount (under- or overpaid), once the payment window has closed or the payment is paid.</summary>
    public const string AmountMismatch = "amount_mismatch";

    /// <summary>The payment is in another currency than the order.</summary>
    public const string CurrencyMismatch = "currency_mismatch";

    /// <summary>Funds arrived after the payment expired (the gateway's <c>payment.late_payment</c>): for manual review.</summary>
    public const string LatePayment = "late_payment";

    /// <summary>The order's merchant status is not in the <see cref="OrderStatusMapping"/>: reported, never guessed. An addition to the seven kinds.</summary>
    public const string UnmappedStatus = "unmapped_status";
}
