using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Kobbopay.Simulator.BrowserTests.TestSupport;

/// <summary>A webhook receiver on loopback Kestrel that answers every POST to <c>/hook</c> with one status code.</summary>
internal sealed class Receiver : IAsyncDisposable
{
    private readonly LoopbackHost _host;

    private Receiver(LoopbackHost host) => _host = host;

    public Uri Url => _host.Url("/hook");

    public static async Task<Receiver> StartAsync(int status, CancellationToken cancellationToken) =>
        new(await LoopbackHost.StartAsync(app => app.MapPost("/hook", () => Results.StatusCode(status)), cancellationToken));

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
