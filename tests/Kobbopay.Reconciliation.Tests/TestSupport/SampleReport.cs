namespace Kobbopay.Reconciliation.Tests.TestSupport;

/// <summary>Exceptions and a summary as a run would hand them to a sink, for the sinks' output tests.</summary>
internal static class SampleReport
{
    public static readonly DateTimeOffset At = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    public static ReconciliationDiscrepancy Late { get; } = new(
        ReconciliationKinds.LatePayment,
        "order-1",
        ["pay_1"],
        "2026-12-01T10:15:00Z",
        "2026-12-01T10:20:00Z",
        "Payment pay_1 received funds after it expired.",
        [
            new("pay_1", "evt_1", "payment.created", 1, At, "pending", null),
            new("pay_1", "evt_2", "payment.expired", 2, At.AddMinutes(15), "expired", null),
            new("pay_1", "evt_3", "payment.late_payment", 3, At.AddMinutes(20), "expired", "10.50"),
        ]);

    /// <summary>Fields that need RFC 4180 quoting: a comma, a quote, a line break; and no order id.</summary>
    public static ReconciliationDiscrepancy Awkward { get; } = new(
        ReconciliationKinds.OrphanPayment,
        null,
        ["pay_2", "pay_3"],
        "an order, \"any\"",
        "none",
        "line one\nline two",
        []);

    /// <summary>Two payments of one order: their events interleave in the history.</summary>
    public static ReconciliationDiscrepancy Duplicate { get; } = new(
        ReconciliationKinds.DuplicatePayment,
        "order-2",
        ["pay_4", "pay_5"],
        "1",
        "2",
        "Order order-2 has 2 payments.",
        [
            new("pay_4", "evt_4", "payment.created", 1, At, "pending", null),
            new("pay_5", "evt_5", "payment.created", 1, At, "pending", null),
            new("pay_5", "evt_6", "payment.paid", 2, At.AddMinutes(1), "paid", "15.00"),
        ]);

    public static ReconciliationSummary Summary { get; } = new(
        At, At.AddDays(1), "kobbopay-identity-1", 10, 11, 2,
        new SortedDictionary<string, long>(StringComparer.Ordinal) { ["late_payment"] = 1, ["orphan_payment"] = 1 },
        At.AddDays(1), At.AddDays(1).AddSeconds(3));
}
