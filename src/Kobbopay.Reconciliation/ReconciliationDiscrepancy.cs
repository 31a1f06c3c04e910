namespace Kobbopay.Reconciliation;

/// <summary>
/// One exception found by a reconciliation (a discrepancy for review, not a thrown <see cref="System.Exception"/>):
/// nothing is fixed automatically.
/// </summary>
/// <param name="Kind">What kind of discrepancy, one of <see cref="ReconciliationKinds"/>.</param>
/// <param name="OrderId">The order concerned, or <see langword="null"/> for a payment that names none.</param>
/// <param name="PaymentIds">The payments concerned (<c>pay_…</c>), empty for a missing payment.</param>
/// <param name="Expected">What the books (or the contract) lead one to expect, as a string; money as an invariant decimal string.</param>
/// <param name="Actual">What the gateway reports, as a string; money as an invariant decimal string.</param>
/// <param name="Detail">One sentence on the discrepancy, for a person.</param>
/// <param name="History">The payments' lifecycle history from the event export, oldest first, for escalation.</param>
public sealed record ReconciliationDiscrepancy(
    string Kind,
    string? OrderId,
    IReadOnlyList<string> PaymentIds,
    string? Expected,
    string? Actual,
    string Detail,
    IReadOnlyList<PaymentHistoryEntry> History);
