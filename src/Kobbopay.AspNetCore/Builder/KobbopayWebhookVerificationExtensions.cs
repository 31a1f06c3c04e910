using Kobbopay;
using Kobbopay.AspNetCore;
using Kobbopay.AspNetCore.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// Verifies Kobbopay webhooks on the merchant's own endpoints, with the guarantees of <c>MapKobbopayWebhooks</c>: the
/// raw body read once under the cap before any parameter binding, the signature checked in constant time before the
/// body is parsed, the event deduplicated and leased while your code runs, and the same status codes.
/// </summary>
/// <remarks>
/// Refused deliveries never reach your code: 401 for a missing or wrong signature, 413 over
/// <see cref="KobbopayWebhookOptions.MaxBodyBytes"/>, 415 unless <c>application/json</c>, 400 for a signed body that is not
/// an event, 409 while another delivery holds the event, 200 <c>{"status":"duplicate"}</c> for an event already
/// processed, 503 when the event store is unavailable. For a new event your code answers: a 2xx records the event as
/// processed; any other status leaves it open, and an exception is answered 500 and leaves it open, so the gateway
/// delivers it again.
/// </remarks>
public static class KobbopayWebhookVerificationExtensions
{
    /// <summary>
    /// Verifies every request to the endpoint before its parameters are bound (it wraps the endpoint's request
    /// delegate, so unlike an endpoint filter it runs before a <c>[FromBody]</c> parameter could read the body). Take the
    /// event as a <see cref="KobbopayWebhookContext"/> parameter: <c>app.MapPost("/hooks/kobbopay",
    /// (KobbopayWebhookContext hook) =&gt; …).RequireKobbopaySignature()</c>. Works on a route group too.
    /// </summary>
    /// <typeparam name="TBuilder">The endpoint's convention builder.</typeparam>
    /// <param name="builder">The endpoint or group, for example the result of <c>MapPost</c>.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">When the endpoints are built: <c>AddKobbopayWebhooks</c> was not called.</exception>
    public static TBuilder RequireKobbopaySignature<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Add(static endpoint =>
        {
            if (endpoint.ApplicationServices.GetService<KobbopayWebhooksRegistration>() is null)
            {
                throw new InvalidOperationException(KobbopayWebhookEndpoint.NotRegistered);
            }

            RequestDelegate inner = endpoint.RequestDelegate ?? throw new InvalidOperationException($"The endpoint {endpoint.DisplayName} has no request delegate to verify webhooks for.");
            KobbopayWebhookEndpoint? pipeline = null;
            endpoint.RequestDelegate = context => (pipeline ??= KobbopayWebhookEndpoint.For(context.RequestServices)).RunAsync(context, inner);
        });
        return builder;
    }

    /// <summary>
    /// Verifies every request whose path starts with <paramref name="pathPrefix"/> before the rest of the pipeline sees
    /// it, for apps that route webhooks elsewhere (a controller, a minimal-API endpoint, another middleware). Place it
    /// before anything that reads the body; downstream, take the event as a <see cref="KobbopayWebhookContext"/>
    /// parameter or from <c>HttpContext.Features.Get&lt;KobbopayWebhookContext&gt;()</c>.
    /// </summary>
    /// <param name="app">The application.</param>
    /// <param name="pathPrefix">The path prefix, such as <c>/hooks/kobbopay</c>; matched by whole segments, ignoring case.</param>
    /// <returns>The same application builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="app"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="pathPrefix"/> is empty or <c>/</c>.</exception>
    /// <exception cref="InvalidOperationException"><c>AddKobbopayWebhooks</c> was not called.</exception>
    public static IApplicationBuilder UseKobbopayWebhookVerification(this IApplicationBuilder app, PathString pathPrefix)
    {
        Guard.NotNull(app);
        if (!pathPrefix.HasValue || pathPrefix.Value == "/")
        {
            throw new ArgumentException("The path prefix must name the webhook path, such as /hooks/kobbopay; verifying every request would refuse the rest of the app.", nameof(pathPrefix));
        }

        if (app.ApplicationServices.GetService<KobbopayWebhooksRegistration>() is null)
        {
            throw new InvalidOperationException(KobbopayWebhookEndpoint.NotRegistered);
        }

        return app.Use(next =>
        {
            KobbopayWebhookEndpoint? pipeline = null;
            return context => context.Request.Path.StartsWithSegments(pathPrefix, StringComparison.OrdinalIgnoreCase)
                ? (pipeline ??= KobbopayWebhookEndpoint.For(context.RequestServices)).RunAsync(context, next)
                : next(context);
        });
    }
}
