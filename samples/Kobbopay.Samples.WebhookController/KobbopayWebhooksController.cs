using Kobbopay.AspNetCore;
using Microsoft.AspNetCore.Mvc;

namespace Kobbopay.Samples.WebhookController;

/// <summary>The merchant's own webhook action. <see cref="KobbopayWebhookAttribute"/> reads and verifies the raw body before model binding; a forged or duplicate delivery never gets here.</summary>
[ApiController]
public sealed class KobbopayWebhooksController(PaymentLedger ledger) : ControllerBase
{
    /// <summary>Applies a verified event. Answer 2xx once it is recorded; throw (answered 500) to have the gateway deliver it again.</summary>
    /// <param name="webhook">The verified event and its delivery.</param>
    /// <returns>200.</returns>
    [HttpPost("/webhooks/kobbopay")]
    [KobbopayWebhook]
    public IActionResult Receive(KobbopayWebhookContext webhook)
    {
        ledger.Apply(webhook.Event);
        return Ok(new { received = webhook.DedupeKey });
    }

    /// <summary>Shows what the webhooks did.</summary>
    /// <param name="paymentId">The payment.</param>
    /// <returns>The payment's last status, or 404.</returns>
    [HttpGet("/payments/{paymentId}")]
    public IActionResult Payment(string paymentId) =>
        ledger.Status(paymentId) is { } status ? Ok(new { paymentId, status }) : NotFound();
}
