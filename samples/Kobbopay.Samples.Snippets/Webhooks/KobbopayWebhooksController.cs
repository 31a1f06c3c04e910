using System.Text.Json;
using Kobbopay.AspNetCore;
using Microsoft.AspNetCore.Mvc;

namespace Shop;

[ApiController]
public sealed class KobbopayWebhooksController(OrderHistory history) : ControllerBase
{
    [HttpPost("/webhooks/kobbopay"), KobbopayWebhook]
    public async Task<IActionResult> Receive(KobbopayWebhookContext webhook, [FromBody] JsonElement body, CancellationToken ct)
    {
        await history.AddAsync(webhook.Event, webhook.DedupeKey, ct); // body: the same verified bytes, bound
        return Ok();
    }
}
