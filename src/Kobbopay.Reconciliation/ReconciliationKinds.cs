namespace Kobbopay.Reconciliation;

/// <summary>The kinds of reconciliation exception, spelled as reports carry them (compare <see cref="ReconciliationDiscrepancy.Kind"/> with these, ordinally), and what each one's expected and actual values hold.</summary>
public static class ReconciliationKinds
{
    /// <summary>An order of the period has no payment at the gateway.</summary>
    /// <remarks>Expected <c>1</c> payment, actual <c>0</c>.</remarks>
    public static string MissingPayment => "missing_payment";

    /// <summary>A payment of the period names no order, or an order the books do not have.</summary>
    /// <remarks>Expected an order in the books; actual <c>no orderId</c> or <c>no such order</c>.</remarks>
    public static string OrphanPayment => "orphan_payment";

    /// <summary>An order has more than one payment.</summary>
    /// <remarks>Expected <c>1</c> payment, actual the count; every payment of the order is named, with its history.</remarks>
    public static string DuplicatePayment => "duplicate_payment";

    /// <summary>The books and the gateway disagree on the status, after the mapping.</summary>
    /// <remarks>Expected the gateway status the order's status maps to; actual the payment's status.</remarks>
    public static string StatusMismatch => "status_mismatch";

    /// <summary>What was received differs from the order's amount (under- or overpaid), once the payment is paid or its window has closed.</summary>
    /// <remarks>Expected the order's amount, actual the amount received, both as invariant decimal strings.</remarks>
    public static string AmountMismatch => "amount_mismatch";

    /// <summary>The payment is in another currency than the order.</summary>
    /// <remarks>Expected the order's currency, actual the payment's.</remarks>
    public static string CurrencyMismatch => "currency_mismatch";

    /// <summary>Funds arrived after the payment expired (the gateway's <c>payment.late_payment</c>): for manual review.</summary>
    /// <remarks>Expected the payment's expiry time, actual the time of the late funds (RFC 3339 UTC).</remarks>
    public static string LatePayment => "late_payment";

    /// <summary>The order's merchant status is not in the <see cref="OrderStatusMapping"/>: reported, never guessed. An addition to the seven kinds of the issue.</summary>
    /// <remarks>Expected a status of the mapping (named with its version), actual the merchant's status.</remarks>
    public static string UnmappedStatus => "unmapped_status";
}
