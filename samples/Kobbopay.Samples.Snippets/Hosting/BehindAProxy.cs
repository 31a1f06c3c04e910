using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Shop;

public static class BehindAProxy
{
    public static void Configure(WebApplicationBuilder builder, WebApplication app)
    {
        // snippet: forwarded-headers
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            o.KnownProxies.Add(IPAddress.Parse("10.0.0.5"));          // your proxy
        });
        app.UseForwardedHeaders();
        // end snippet
    }
}
