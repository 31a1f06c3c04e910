using Kobbopay.Sdk;

namespace Kobbopay.Reconciliation.Internal;

/// <summary>The lifecycle histories of one order's payments, each read from the export at most once while the order is checked.</summary>
internal sealed class OrderHistories(PaymentHistoryReader reader)
{
    private readonly Dictionary<string, IReadOnlyList<PaymentHistoryEntry>> _read = new(StringComparer.Ordinal);

    /// <summary>Gets the histories of <paramref name="concerned"/> (payments of this order), oldest event first.</summary>
    public async Task<IReadOnlyList<PaymentHistoryEntry>> OfAsync(IReadOnlyList<Payment> concerned, CancellationToken cancellationToken)
    {
        List<PaymentHistoryEntry> all = [];
        foreach (Payment payment in concerned)
        {
            if (!_read.TryGetValue(payment.Id, out IReadOnlyList<PaymentHistoryEntry>? history))
            {
                history = await reader.ReadAsync(payment, cancellationToken).ConfigureAwait(false);
                _read.Add(payment.Id, history);
            }

            all.AddRange(history);
        }

        return concerned.Count == 1 ? all : [.. all.OrderBy(e => e.CreatedAt).ThenBy(e => e.Sequence)];
    }
}
