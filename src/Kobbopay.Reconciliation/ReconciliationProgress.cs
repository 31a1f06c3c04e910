namespace Kobbopay.Reconciliation;

/// <summary>Where a running reconciliation stands: reported each time one of its counts rises (an order or a payment checked, an exception found).</summary>
/// <param name="OrdersChecked">How many orders of the books were checked so far (pass 1).</param>
/// <param name="PaymentsChecked">How many of the gateway's payments were checked so far (pass 2).</param>
/// <param name="ExceptionCount">How many exceptions were written to the sink so far.</param>
public readonly record struct ReconciliationProgress(long OrdersChecked, long PaymentsChecked, long ExceptionCount);
