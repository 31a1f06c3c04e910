namespace Kobbopay.AspNetCore;

/// <summary>
/// Handles verified, deduplicated Kobbopay webhook events. Register with
/// <see cref="KobbopayWebhooksBuilder.AddHandler{THandler}(Kobbopay.Sdk.PaymentEventType?)"/>; a new instance is
/// resolved in a dependency-injection scope of its own for every delivery.
/// </summary>
/// <remarks>
/// Delivery is at least once: an event is handed over again when a handler throws (the delivery is answered 500 and
/// the gateway retries it) or when its lease runs out before the handlers finish. Make handlers idempotent, for example
/// by writing the event's effect and <see cref="KobbopayWebhookContext.DedupeKey"/> in one transaction. Under queued
/// processing (<see cref="KobbopayWebhooksBuilder.UseQueuedProcessing"/>) a throw schedules another attempt with backoff,
/// and a process that dies after the handler's effect but before the inbox records the event runs it again.
/// </remarks>
public interface IKobbopayWebhookHandler
{
    /// <summary>Handles one event. Throw to have the delivery answered 500 and the event delivered again later.</summary>
    /// <param name="context">The event and the delivery that carried it.</param>
    /// <param name="cancellationToken">Cancelled when the gateway stops waiting for the answer, or, under queued processing, when the application stops.</param>
    /// <returns>A task that completes when the event is handled.</returns>
    Task HandleAsync(KobbopayWebhookContext context, CancellationToken cancellationToken);
}
