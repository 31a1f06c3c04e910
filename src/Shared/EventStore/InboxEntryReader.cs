using System.Data.Common;
using Kobbopay.Webhooks;

namespace Kobbopay.EventStore.Internal;

/// <summary>Reads inbox rows (key, body, delivery_id, state, attempts, received_at, next_attempt_at, last_error, in that order) into entries, for both durable inboxes.</summary>
internal static class InboxEntryReader
{
    /// <summary>The columns every inbox query returns, in the order <see cref="ReadAllAsync"/> reads them.</summary>
    public const string Columns = "key, body, delivery_id, state, attempts, received_at, next_attempt_at, last_error";

    /// <summary>Reads every row of <paramref name="reader"/>.</summary>
    /// <param name="reader">The rows.</param>
    /// <param name="leaseId">The lease to put on each entry (the claim's, or <see cref="Guid.Empty"/> when listed).</param>
    /// <param name="time">Reads the time in a column, as the database stores it.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<List<WebhookInboxEntry>> ReadAllAsync(DbDataReader reader, Guid leaseId, Func<DbDataReader, int, DateTimeOffset> time, CancellationToken cancellationToken)
    {
        List<WebhookInboxEntry> entries = [];
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new WebhookInboxEntry(
                reader.GetString(0),
                reader.GetFieldValue<byte[]>(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                (WebhookInboxState)reader.GetInt32(3),
                reader.GetInt32(4),
                time(reader, 5),
                time(reader, 6),
                leaseId,
                reader.IsDBNull(7) ? null : reader.GetString(7)));
        }

        // Oldest due first: RETURNING gives no order.
        entries.Sort(static (a, b) => a.NextAttemptAt != b.NextAttemptAt ? a.NextAttemptAt.CompareTo(b.NextAttemptAt) : a.ReceivedAt.CompareTo(b.ReceivedAt));
        return entries;
    }
}
