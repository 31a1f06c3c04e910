namespace Kobbopay.Sdk;

/// <summary>Builds Kobbopay models for merchants' own unit tests (for example, a mocked client that returns a payment, or a webhook body to sign).</summary>
public static class KobbopayModelFactory
{
    /// <summary>Builds a <see cref="Sdk.Payment"/>.</summary>
    /// <param name="id">The payment id.</param>
    /// <param name="status">The status; <see langword="null"/> for pending.</param>
    /// <param name="amount">The amount.</param>
    /// <param name="currency">The currency.</param>
    /// <param name="network">The network.</param>
    /// <param name="orderId">The order id.</param>
    /// <param name="amountReceived">What arrived, if anything.</param>
    /// <param name="confirmations">Confirmations, if any.</param>
    /// <param name="txHash">The transaction hash, if any.</param>
    /// <param name="createdAt">Creation time; <see langword="null"/> for the Unix epoch.</param>
    /// <param name="expiresAt">End of the window; <see langword="null"/> for 15 minutes after <paramref name="createdAt"/>.</param>
    /// <param name="metadata">Metadata, if any.</param>
    /// <returns>The payment.</returns>
    public static Payment Payment(
        string id = "pay_test",
        PaymentStatus? status = null,
        decimal amount = 10m,
        string currency = "USDT",
        string network = "example-network",
        string orderId = "order-1",
        decimal? amountReceived = null,
        int? confirmations = null,
        string? txHash = null,
        DateTimeOffset? createdAt = null,
        DateTimeOffset? expiresAt = null,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        DateTimeOffset created = createdAt ?? DateTimeOffset.UnixEpoch;
        PaymentStatus s = status ?? PaymentStatus.Pending;
        return new Payment
        {
            Id = id,
            Status = s,
            Amount = amount,
            Currency = currency,
            Network = network,
            OrderId = orderId,
            Metadata = metadata,
            AmountReceived = amountReceived,
            Confirmations = confirmations,
            TxHash = txHash,
            CreatedAt = created,
            UpdatedAt = created,
            ExpiresAt = expiresAt ?? created.AddMinutes(15),
        };
    }

    /// <summary>Builds a <see cref="PaymentEvent"/>.</summary>
    /// <param name="type">The event type.</param>
    /// <param name="payment">The payment as it was when the event happened.</param>
    /// <param name="id">The event id.</param>
    /// <param name="sequence">The event's sequence number.</param>
    /// <param name="previousStatus">The status before the event.</param>
    /// <param name="createdAt">When it happened; <see langword="null"/> for the payment's <see cref="Sdk.Payment.UpdatedAt"/>.</param>
    /// <returns>The event.</returns>
    public static PaymentEvent PaymentEvent(PaymentEventType type, Payment payment, string? id = "evt_test", long? sequence = 1, PaymentStatus? previousStatus = null, DateTimeOffset? createdAt = null)
    {
        ArgumentNullException.ThrowIfNull(payment);
        return new PaymentEvent
        {
            Id = id,
            Type = type,
            PaymentId = payment.Id,
            Sequence = sequence,
            PreviousStatus = previousStatus,
            CreatedAt = createdAt ?? payment.UpdatedAt,
            Data = PaymentEventData(payment),
        };
    }

    /// <summary>Builds a <see cref="Sdk.PaymentEventData"/>: what an event carries.</summary>
    /// <param name="payment">The payment as it was when the event happened, or <see langword="null"/> for an event without a snapshot.</param>
    /// <returns>The event data.</returns>
    public static PaymentEventData PaymentEventData(Payment? payment) => new() { Payment = payment };

    /// <summary>Builds a <see cref="Page{T}"/>.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="data">The items.</param>
    /// <param name="nextCursor">The next page's cursor, or <see langword="null"/> for the last page.</param>
    /// <returns>The page.</returns>
    public static Page<T> Page<T>(IEnumerable<T> data, string? nextCursor = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new Page<T> { Data = [.. data], NextCursor = nextCursor };
    }
}
