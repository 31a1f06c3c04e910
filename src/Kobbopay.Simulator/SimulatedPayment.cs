namespace Kobbopay.Simulator;

/// <summary>A snapshot of a payment held by the simulator.</summary>
/// <param name="Id">The payment id (<c>pay_…</c>).</param>
/// <param name="Environment">The environment that created it.</param>
/// <param name="Status">The lifecycle status: <c>pending</c>, <c>paid</c>, <c>confirmed</c> or <c>expired</c>.</param>
/// <param name="Amount">The amount asked for.</param>
/// <param name="Currency">The currency, in the rail's spelling.</param>
/// <param name="Network">The network, in the rail's spelling.</param>
/// <param name="OrderId">The merchant's order id.</param>
/// <param name="AmountReceived">What has arrived on chain, or <see langword="null"/> before anything has.</param>
/// <param name="Confirmations">The confirmations counted, or <see langword="null"/> before the payment is paid.</param>
/// <param name="TxHash">The transaction hash, or <see langword="null"/> before anything has arrived.</param>
/// <param name="CreatedAt">When it was created, on the simulator's clock.</param>
/// <param name="ExpiresAt">When its payment window ends.</param>
/// <param name="LastSequence">The sequence number of its latest event (1 after creation).</param>
public sealed record SimulatedPayment(
    string Id,
    string Environment,
    string Status,
    decimal Amount,
    string Currency,
    string Network,
    string OrderId,
    decimal? AmountReceived,
    int? Confirmations,
    string? TxHash,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    int LastSequence);
