using Microsoft.AspNetCore.Mvc;

namespace Kobbopay.AspNetCore.Tests.TestSupport;

/// <summary>A merchant's controller: the verified event and a <c>[FromBody]</c> model of the same bytes.</summary>
[ApiController]
[Route(WebhookApp.WebhookPath)]
public sealed class WebhookController(HandlerCalls calls, ScopeMarker scope) : ControllerBase
{
    [HttpPost]
    [KobbopayWebhook]
    public async Task<IActionResult> PostAsync(KobbopayWebhookContext hook, [FromBody] EventBody body, CancellationToken cancellationToken)
    {
        await calls.RecordAsync(nameof(WebhookController), hook, scope, cancellationToken);
        return Content(ShapeApp.Handled(hook, body));
    }
}
