using Kobbopay.Reconciliation;

namespace Shop.PackageReadmes;

// src/Kobbopay.Reconciliation/README.md: the package's use.
public static class ReconciliationPackage
{
    public static void Use(WebApplicationBuilder builder, OrderStatusMapping mapping)
    {
        // snippet: reconciliation
        builder.Services.AddKobbopayClient(builder.Configuration.GetSection("Kobbopay"));
        builder.Services.AddKobbopayReconciliation<OrdersLedger>(o => o.StatusMapping = mapping); // OrdersLedger: your IOrderLedger
        // end snippet
    }
}
