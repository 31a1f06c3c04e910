namespace Kobbopay.EventStore.PostgreSql.Internal;

/// <summary>
/// One <c>CompleteAsync</c> waiting for the store's group commit of completes; answered, once its batch committed, with
/// whether its lease completed the event. A sequenced complete also raises its payment's highest handled sequence in that
/// transaction.
/// </summary>
internal sealed class PostgreSqlCompletion(string key, Guid leaseId, string? paymentKey = null, long sequence = 0) : PostgreSqlPendingCall<bool>(key)
{
    public Guid LeaseId => leaseId;

    /// <summary>Gets the payment whose highest handled sequence the complete raises, or <see langword="null"/> for a plain complete.</summary>
    public string? PaymentKey => paymentKey;

    /// <summary>Gets the sequence the payment's highest handled sequence is raised to (with <see cref="PaymentKey"/>).</summary>
    public long Sequence => sequence;
}
