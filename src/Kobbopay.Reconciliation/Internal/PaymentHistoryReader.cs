using Kobbopay.Sdk;

namespace Kobbopay.Reconciliation.Internal;

/// <summary>
/// Reads one payment's lifecycle from the event export. The export has no payment filter, so it is read from the
/// payment's creation and the payment's own events are kept; it stops past the payment's last change (the export is
/// oldest first), or at the end of the export, whichever comes first.
/// </summary>
internal sealed class PaymentHistoryReader(KobbopayClient client)
{
    private const int PageSize = 100;

    public async Task<IReadOnlyList<PaymentHistoryEntry>> ReadAsync(Payment payment, CancellationToken cancellationToken)
    {
        List<PaymentHistoryEntry> history = [];
        EventListOptions options = new() { CreatedFrom = payment.CreatedAt, PageSize = PageSize };
        await foreach (PaymentEvent e in client.ListEventsAsync(options, cancellationToken).ConfigureAwait(false))
        {
            if (e.CreatedAt > payment.UpdatedAt)
            {
                break;
            }

            if (string.Equals(e.PaymentId, payment.Id, StringComparison.Ordinal))
            {
                history.Add(PaymentHistoryEntry.From(e));
            }
        }

        return history;
    }
}
