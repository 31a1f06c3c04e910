using Kobbopay.Sdk;

namespace Kobbopay.Reconciliation.Internal;

/// <summary>Reads one payment's lifecycle for an exception's history, through <see cref="PaymentEventHistory"/>.</summary>
internal sealed class PaymentHistoryReader(KobbopayClient client)
{
    public async Task<IReadOnlyList<PaymentHistoryEntry>> ReadAsync(Payment payment, CancellationToken cancellationToken)
    {
        List<PaymentHistoryEntry> history = [];
        await foreach (PaymentEvent e in PaymentEventHistory.ReadAsync(client, payment, cancellationToken).ConfigureAwait(false))
        {
            history.Add(PaymentHistoryEntry.From(e));
        }

        return history;
    }
}
