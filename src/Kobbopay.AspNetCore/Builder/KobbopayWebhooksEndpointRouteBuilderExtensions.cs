using System.Diagnostics.CodeAnalysis;
using Kobbopay;
using Kobbopay.AspNetCore;
using Kobbopay.AspNetCore.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the Kobbopay webhook endpoint.</summary>
public static class KobbopayWebhooksEndpointRouteBuilderExtensions
{
    /// <summary>The route the endpoint is mapped to when none is given.</summary>
    public const string DefaultPattern = "/webhook/kobbopay";

    /// <summary>
    /// Maps <c>POST <paramref name="pattern"/></c> to the Kobbopay webhook endpoint registered with
    /// <c>AddKobbopayWebhooks</c>. It answers 200 when the event was processed (or already had been), 401 for a bad or
    /// missing signature, 400 for a signed body that is not an event, 413 over
    /// <see cref="KobbopayWebhookOptions.MaxBodyBytes"/>, 415 unless the content type is <c>application/json</c>, 409 while
    /// another delivery of the event holds its lease, 500 when a handler failed and 503 when the event store is
    /// unavailable; the gateway retries everything but 2xx.
    /// </summary>
    /// <param name="endpoints">The route builder, usually the <c>WebApplication</c>.</param>
    /// <param name="pattern">The route, the path registered with the gateway.</param>
    /// <returns>The endpoint's convention builder, for example to add rate limiting or host filtering; do not require authentication, the signature is the authentication.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="pattern"/> is <see langword="null"/> or empty.</exception>
    /// <exception cref="InvalidOperationException"><c>AddKobbopayWebhooks</c> was not called.</exception>
    public static IEndpointConventionBuilder MapKobbopayWebhooks(this IEndpointRouteBuilder endpoints, [StringSyntax("Route")] string pattern = DefaultPattern)
    {
        Guard.NotNull(endpoints);
        Guard.NotNullOrEmpty(pattern);
        if (endpoints.ServiceProvider.GetService<KobbopayWebhooksRegistration>() is null)
        {
            throw new InvalidOperationException("The Kobbopay webhook services are not registered: call builder.Services.AddKobbopayWebhooks(builder.Configuration.GetSection(\"Kobbopay:Webhooks\")) before MapKobbopayWebhooks.");
        }

        // Resolved on the first delivery, after the host started and validated the options.
        KobbopayWebhookEndpoint? endpoint = null;
        return endpoints
            .MapPost(pattern, context => (endpoint ??= context.RequestServices.GetRequiredService<KobbopayWebhookEndpoint>()).HandleAsync(context))
            .WithDisplayName("Kobbopay webhooks");
    }
}
