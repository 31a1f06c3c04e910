using System.Runtime.ExceptionServices;
using Kobbopay.AspNetCore.Internal;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Kobbopay.AspNetCore;

/// <summary>
/// Verifies a Kobbopay webhook before an MVC action: a resource filter that runs before model binding, reads the raw
/// body once under <see cref="KobbopayWebhookOptions.MaxBodyBytes"/>, verifies the signature, deduplicates and holds
/// the event's lease while the action runs. Take the event as a <see cref="KobbopayWebhookContext"/> parameter; a
/// <c>[FromBody]</c> model binds from the very bytes that were verified.
/// </summary>
/// <remarks>
/// Refused deliveries never reach the action and get the answers of <c>MapKobbopayWebhooks</c>: 401 for a bad
/// signature, 413, 415, 400, 409 while another delivery holds the event, 200 <c>duplicate</c> for an event already
/// processed, 503 when the event store is unavailable. The action's own answer is sent for a new event: a 2xx records
/// the event as processed; any other status, or an exception (answered 500), leaves it open and the gateway delivers it
/// again. Register the pipeline with <c>AddKobbopayWebhooks</c>.
/// </remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class KobbopayWebhookAttribute : Attribute, IAsyncResourceFilter, IOrderedFilter
{
    /// <summary>Gets the filter's order: first among resource filters, so nothing reads the body before it is verified.</summary>
    public int Order => int.MinValue;

    /// <inheritdoc/>
    public Task OnResourceExecutionAsync(ResourceExecutingContext context, ResourceExecutionDelegate next)
    {
        Guard.NotNull(context);
        Guard.NotNull(next);
        return KobbopayWebhookEndpoint.For(context.HttpContext.RequestServices).RunAsync(context.HttpContext, async (webhook, _) =>
        {
            ResourceExecutedContext executed = await next().ConfigureAwait(false);
            if (executed.Exception is { } failure && !executed.ExceptionHandled)
            {
                // Answered 500 "failed" by the pipeline, the event left open: the same as a failing handler.
                executed.ExceptionHandled = true;
                (executed.ExceptionDispatchInfo ?? ExceptionDispatchInfo.Capture(failure)).Throw();
            }

            return webhook.HttpContext.Response.StatusCode;
        });
    }
}
