using Kobbopay.Sdk;

namespace Shop;

public sealed class Checkout(KobbopayClient kobbopay)
{
    public Task<Payment> PayAsync(Order order, CancellationToken ct) =>
        kobbopay.CreatePaymentAsync(
            new CreatePaymentRequest { Amount = order.Total, Currency = "USDT", Network = "example-network", OrderId = order.Id },
            KobbopayIdempotencyKey.FromOrderId(order.Id), // a retried checkout gets the same payment
            ct);
}
