using Refit;

namespace Kobbopay.Sdk.Internal;

/// <summary>
/// The gateway's HTTP API (the contract's four endpoints), implemented by Refit's source generator at build time and
/// serialized through <see cref="KobbopayJsonContext"/>. Failures come back in the <see cref="IApiResponse"/>, never as
/// Refit exceptions: <see cref="KobbopayClient"/> maps each to one of the SDK's own.
/// </summary>
internal interface IKobbopayApi
{
    [Post("/v1/payments")]
    Task<IApiResponse<Payment>> CreatePaymentAsync([Body] CreatePaymentRequest request, [Header("Idempotency-Key")] string idempotencyKey, CancellationToken cancellationToken);

    [Get("/v1/payments/{paymentId}")]
    Task<IApiResponse<Payment>> GetPaymentAsync(string paymentId, CancellationToken cancellationToken);

    [Get("/v1/payments")]
    Task<IApiResponse<Page<Payment>>> ListPaymentsAsync(
        [AliasAs("orderId")] string? orderId,
        [AliasAs("status")] string? status,
        [AliasAs("createdFrom")] string? createdFrom,
        [AliasAs("createdTo")] string? createdTo,
        [AliasAs("limit")] int? limit,
        [AliasAs("cursor")] string? cursor,
        CancellationToken cancellationToken);

    [Get("/v1/events")]
    Task<IApiResponse<Page<PaymentEvent>>> ListEventsAsync(
        [AliasAs("type")] string? type,
        [AliasAs("createdFrom")] string? createdFrom,
        [AliasAs("limit")] int? limit,
        [AliasAs("cursor")] string? cursor,
        CancellationToken cancellationToken);
}
