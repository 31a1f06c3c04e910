using Kobbopay.AspNetCore.Internal;
using Kobbopay.Sdk;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Kobbopay.AspNetCore;

/// <summary>
/// A verified webhook event and the delivery that carried it, as handed to an <see cref="IKobbopayWebhookHandler"/>,
/// and bound as a parameter of the merchant's own endpoint: a minimal-API handler behind
/// <c>RequireKobbopaySignature()</c> or <c>UseKobbopayWebhookVerification</c>, or an MVC action marked
/// <see cref="KobbopayWebhookAttribute"/>.
/// </summary>
[ModelBinder(typeof(KobbopayWebhookContextModelBinder))]
public sealed class KobbopayWebhookContext
{
    /// <summary>Initializes a new instance of the <see cref="KobbopayWebhookContext"/> class, for example to test a handler.</summary>
    /// <param name="paymentEvent">The event.</param>
    /// <param name="dedupeKey">The key the event is deduplicated on.</param>
    /// <param name="deliveryId">The delivery id, or <see langword="null"/>.</param>
    /// <param name="httpContext">The request that delivered the event.</param>
    /// <exception cref="ArgumentNullException"><paramref name="paymentEvent"/>, <paramref name="dedupeKey"/> or <paramref name="httpContext"/> is <see langword="null"/>.</exception>
    public KobbopayWebhookContext(PaymentEvent paymentEvent, string dedupeKey, string? deliveryId, HttpContext httpContext)
    {
        Event = Guard.NotNull(paymentEvent);
        DedupeKey = Guard.NotNull(dedupeKey);
        DeliveryId = deliveryId;
        HttpContext = Guard.NotNull(httpContext);
    }

    /// <summary>Gets the event, parsed only after its signature was verified.</summary>
    public PaymentEvent Event { get; }

    /// <summary>
    /// Gets the key the event is deduplicated on: the event id, or for an event without one its payment, type and
    /// sequence. Every delivery of the same event has the same key; store it with the event's effect to make a handler
    /// idempotent.
    /// </summary>
    public string DedupeKey { get; }

    /// <summary>Gets the id of this delivery attempt (header <c>x-delivery-id</c>, new for every attempt), or <see langword="null"/> when the gateway sent none.</summary>
    public string? DeliveryId { get; }

    /// <summary>
    /// Gets the payment as the API returned it just before your code ran, when
    /// <see cref="KobbopayWebhookOptions.FetchPaymentBeforeHandling"/> is on: act on its status and amounts, not on the
    /// event's claim (<see cref="PaymentEvent.Payment"/>). <see langword="null"/> when the option is off.
    /// </summary>
    public Payment? Payment { get; init; }

    /// <summary>
    /// Gets a value indicating whether the event is stale: it has a sequence, and that sequence is not above the highest
    /// already handled for its payment (a <c>payment.paid</c> arriving after <c>payment.confirmed</c>), so applying it
    /// would move the payment backward. Handlers added with <c>AddHandler</c> never see a stale event unless they were
    /// added with <c>includeStale: true</c>; the merchant's own endpoints (<c>RequireKobbopaySignature()</c>,
    /// <c>UseKobbopayWebhookVerification</c>, <see cref="KobbopayWebhookAttribute"/>) always run and should check it.
    /// A stale event is answered 2xx and recorded like any other, so the gateway stops retrying it.
    /// </summary>
    /// <value><see langword="false"/> for an event without a sequence, for the first event of a payment, and with an event store that does not implement <c>IWebhookSequenceStore</c>.</value>
    public bool IsStale { get; init; }

    /// <summary>
    /// Gets the request that delivered the event. Its body has been read once and verified; while your code runs,
    /// <see cref="HttpRequest.Body"/> replays those verified bytes. Under queued processing the handler runs after the
    /// request was answered, in a background worker: this is then an empty stand-in (no connection, no headers, no
    /// user), not the delivery's request.
    /// </summary>
    public HttpContext HttpContext { get; }

    /// <summary>
    /// Gets the verified event of the request being answered, for minimal-API parameter binding (also with the
    /// request delegate generator): the endpoint must verify first, with <c>RequireKobbopaySignature()</c> or
    /// <c>UseKobbopayWebhookVerification</c>.
    /// </summary>
    /// <param name="context">The request.</param>
    /// <returns>The verified event and its delivery.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The request was not verified: the endpoint lacks <c>RequireKobbopaySignature()</c>.</exception>
    public static ValueTask<KobbopayWebhookContext?> BindAsync(HttpContext context) =>
        ValueTask.FromResult<KobbopayWebhookContext?>(KobbopayWebhookContextModelBinder.Verified(Guard.NotNull(context)));

    /// <summary>Returns the event and delivery ids.</summary>
    /// <returns>A short description without any header or body content.</returns>
    public override string ToString() => $"{Event} (delivery {DeliveryId ?? "(none)"})";
}
