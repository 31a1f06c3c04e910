namespace Kobbopay.Sdk;

/// <summary>
/// Reads a payment as the gateway has it now: the authoritative side of "treat the webhook as a signal to reconcile,
/// not as proof". <c>KobbopayClient</c> implements it, and <c>AddKobbopayClient</c> registers the default client as it,
/// so the webhook side (Kobbopay.AspNetCore) can fetch the payment before handlers run without depending on the
/// client's transport.
/// </summary>
public interface IKobbopayPaymentReader
{
    /// <summary>Gets a payment by id, as the gateway has it now.</summary>
    /// <param name="paymentId">The payment id (<c>pay_…</c>).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The payment.</returns>
    Task<Payment> GetPaymentAsync(string paymentId, CancellationToken cancellationToken = default);
}
