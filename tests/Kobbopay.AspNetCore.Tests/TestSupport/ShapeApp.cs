using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Kobbopay.AspNetCore.Tests.TestSupport;

/// <summary>A <see cref="WebhookApp"/> whose webhook path is the merchant's own endpoint, verified in one of the <see cref="VerificationShape"/>s; user code records into <see cref="HandlerCalls"/>.</summary>
public static class ShapeApp
{
    /// <summary>What the user code answers: the event's id as verified and as its own <c>[FromBody]</c> model saw it.</summary>
    public static string Handled(KobbopayWebhookContext hook, EventBody body) => $"handled {hook.Event.Id} {body.Id} {body.Type}";

    public static Task<WebhookApp> StartAsync(VerificationShape shape, HandlerCalls calls, IDictionary<string, string?>? settings = null) =>
        WebhookApp.StartAsync(
            webhooks: null,
            settings,
            middleware: app => Map(app, shape),
            services: services =>
            {
                services.AddSingleton(calls).AddScoped<ScopeMarker>();
                if (shape == VerificationShape.MvcAttribute)
                {
                    services.AddControllers().AddApplicationPart(typeof(WebhookController).Assembly);
                }
            },
            mapWebhooks: false);

    private static void Map(WebApplication app, VerificationShape shape)
    {
        switch (shape)
        {
            case VerificationShape.EndpointConvention:
                MapUserEndpoint(app).RequireKobbopaySignature();
                break;
            case VerificationShape.GroupConvention:
                MapUserEndpoint(app.MapGroup("/webhook").RequireKobbopaySignature(), "/kobbopay");
                break;
            case VerificationShape.MvcAttribute:
                app.MapControllers();
                break;
            case VerificationShape.Middleware:
                app.UseKobbopayWebhookVerification("/webhook");
                MapUserEndpoint(app);
                break;
        }
    }

    private static RouteHandlerBuilder MapUserEndpoint(IEndpointRouteBuilder endpoints, string path = WebhookApp.WebhookPath) =>
        endpoints.MapPost(path, async (KobbopayWebhookContext hook, [FromBody] EventBody body, HandlerCalls calls, ScopeMarker scope, CancellationToken cancellationToken) =>
        {
            await calls.RecordAsync(VerificationShape.EndpointConvention.ToString(), hook, scope, cancellationToken);
            return Results.Text(Handled(hook, body));
        });
}
