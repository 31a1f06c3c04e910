using Kobbopay.Reconciliation;
using Kobbopay.Sdk;

namespace Shop;

public sealed class NightlyReconciliation(KobbopayClient kobbopay, IOrderLedger books)
{
    // Explicit and versioned: change the version when the mapping changes; a status it does not list is reported, never guessed.
    public static readonly OrderStatusMapping Mapping = new("shop-2026-11", new Dictionary<string, PaymentStatus>
    {
        ["awaiting"] = PaymentStatus.Pending,
        ["paid"] = PaymentStatus.Paid,
        ["shipped"] = PaymentStatus.Confirmed,
        ["cancelled"] = PaymentStatus.Expired,
    });

    public async Task<ReconciliationSummary> RunAsync(DateTimeOffset from, DateTimeOffset to, string reportPath, CancellationToken ct)
    {
        KobbopayReconciler reconciler = new(kobbopay, books, Mapping);
        await using FileStream file = File.Create(reportPath);
        await using JsonReconciliationSink report = new(file, indented: true);
        return await reconciler.RunAsync(from, to, report, ct); // ExceptionCount, ExceptionsByKind
    }
}
