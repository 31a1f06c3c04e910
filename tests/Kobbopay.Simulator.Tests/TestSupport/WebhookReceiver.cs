using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;

namespace Kobbopay.Simulator.Tests.TestSupport;

/// <summary>A bare webhook receiver on a <see cref="LoopbackHost"/>: records what arrives and answers as the test says.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<Received> _received = new();
    private LoopbackHost? _host;

    /// <summary>Gets or sets how to answer each request (default 200).</summary>
    public Func<Received, Task<IResult>> Answer { get; set; } = _ => Task.FromResult(Results.Ok());

    public Uri Url => _host!.Url("/hook");

    public IReadOnlyList<Received> Requests => [.. _received];

    public static async Task<WebhookReceiver> StartAsync()
    {
        WebhookReceiver receiver = new();
        // Typed as a Func, not a RequestDelegate, so the endpoint executes the IResult the handler returns.
        receiver._host = await LoopbackHost.StartAsync(app => app.MapPost("/hook", (Func<HttpContext, Task<IResult>>)receiver.ReceiveAsync), Sim.Ct);
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    private async Task<IResult> ReceiveAsync(HttpContext context)
    {
        using MemoryStream body = new();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        Received r = new(
            body.ToArray(),
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
        _received.Enqueue(r);
        return await Answer(r);
    }

    internal sealed record Received(byte[] Body, IReadOnlyDictionary<string, string> Headers)
    {
        public string Header(string name) => Headers.TryGetValue(name, out string? v) ? v : string.Empty;

        public string Text => System.Text.Encoding.UTF8.GetString(Body);
    }
}
