using System.Runtime.CompilerServices;
using Kobbopay.Sdk;

namespace Kobbopay;

/// <summary>
/// One payment's events, read from the event export (one source file, compiled into each package that needs it). The
/// export has no payment filter, so it is read from the payment's creation and only that payment's events are kept;
/// the read stops at the first event after the payment's last change (the export is oldest first) or at its end, so an
/// old payment's history does not read the whole export up to now. One page is in memory at a time.
/// </summary>
internal static class PaymentEventHistory
{
    /// <summary>The page size the export is read with.</summary>
    public const int PageSize = 100;

    /// <summary>Streams the events of <paramref name="payment"/>, oldest first.</summary>
    /// <param name="client">The client.</param>
    /// <param name="payment">The payment, as read from the API (its <c>CreatedAt</c> and <c>UpdatedAt</c> bound the read).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The payment's events in export order.</returns>
    public static async IAsyncEnumerable<PaymentEvent> ReadAsync(
        KobbopayClient client, Payment payment, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        EventListOptions options = new() { CreatedFrom = payment.CreatedAt, PageSize = PageSize };
        await foreach (PaymentEvent e in client.ListEventsAsync(options, cancellationToken).ConfigureAwait(false))
        {
            if (e.CreatedAt > payment.UpdatedAt)
            {
                yield break;
            }

            if (string.Equals(e.PaymentId, payment.Id, StringComparison.Ordinal))
            {
                yield return e;
            }
        }
    }
}
