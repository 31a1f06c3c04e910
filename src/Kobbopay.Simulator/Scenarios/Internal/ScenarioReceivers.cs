using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Kobbopay.Simulator.Scenarios.Internal;

/// <summary>
/// The built-in receivers of a scenario's endpoints: one Kestrel app on 127.0.0.1, a path per endpoint, each answering
/// every delivery with its status. What they were sent is in the simulator's deliveries, so they keep nothing.
/// </summary>
internal sealed class ScenarioReceivers : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ScenarioReceivers(WebApplication app, IReadOnlyDictionary<string, Uri> urls)
    {
        _app = app;
        Urls = urls;
    }

    /// <summary>Gets each receiver's address, by endpoint name.</summary>
    public IReadOnlyDictionary<string, Uri> Urls { get; }

    public static async Task<ScenarioReceivers> StartAsync(IReadOnlyList<(string Name, int Status)> endpoints, CancellationToken cancellationToken)
    {
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        Dictionary<string, int> statusByPath = new(StringComparer.Ordinal);
        for (int i = 0; i < endpoints.Count; i++)
        {
            statusByPath["/receiver-" + i] = endpoints[i].Status;
        }

        app.Run(async context =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted).ConfigureAwait(false);
            context.Response.StatusCode = statusByPath.TryGetValue(context.Request.Path.Value ?? string.Empty, out int status) ? status : StatusCodes.Status404NotFound;
        });

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single().TrimEnd('/');
            Dictionary<string, Uri> urls = new(StringComparer.Ordinal);
            for (int i = 0; i < endpoints.Count; i++)
            {
                urls[endpoints[i].Name] = new Uri($"{address}/receiver-{i}");
            }

            return new ScenarioReceivers(app, urls);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
