using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Kobbopay.Simulator.BrowserTests.TestSupport;

/// <summary>A webhook receiver on loopback Kestrel that answers every POST to <c>/hook</c> with one status code and keeps what it got.</summary>
internal sealed class Receiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<(byte[] Body, KeyValuePair<string, string>[] Headers)> _got = new();
    private LoopbackHost? _host;

    public Uri Url => _host!.Url("/hook");

    /// <summary>Gets the body bytes and headers of every request, in the order they arrived.</summary>
    public IReadOnlyList<(byte[] Body, KeyValuePair<string, string>[] Headers)> Got => [.. _got];

    public static async Task<Receiver> StartAsync(int status, CancellationToken cancellationToken)
    {
        Receiver receiver = new();
        receiver._host = await LoopbackHost.StartAsync(
            app => app.MapPost("/hook", async (HttpRequest request) =>
            {
                using MemoryStream body = new();
                await request.Body.CopyToAsync(body, request.HttpContext.RequestAborted);
                receiver._got.Enqueue((body.ToArray(), [.. request.Headers.Select(h => KeyValuePair.Create(h.Key, h.Value.ToString()))]));
                return Results.StatusCode(status);
            }),
            cancellationToken);
        return receiver;
    }

    public ValueTask DisposeAsync() => _host?.DisposeAsync() ?? ValueTask.CompletedTask;
}
