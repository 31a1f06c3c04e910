using Kobbopay.Webhooks;

namespace Kobbopay.EventStore.PostgreSql.Internal;

/// <summary>
/// One <c>TryBeginAsync</c> waiting for the store's batch of begins; answered, once its batch committed, with its own
/// result (begun with its lease, a duplicate, or held by another lease), and with a <see cref="PaymentKey"/> the
/// payment's highest handled sequence.
/// </summary>
internal sealed class PostgreSqlBeginCall(string key, TimeSpan lease, string? paymentKey) : PostgreSqlPendingCall<WebhookBeginResult>(key)
{
    public TimeSpan Lease => lease;

    /// <summary>Gets the payment whose highest handled sequence the begin reads, or <see langword="null"/>.</summary>
    public string? PaymentKey => paymentKey;
}
