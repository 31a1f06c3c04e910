using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kobbopay.Benchmarks;

/// <summary>A Kestrel app on 127.0.0.1 with an ephemeral port and no logging, for stubs and receivers.</summary>
internal sealed class StubServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StubServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<StubServer> StartAsync(Action<WebApplication> map, int port = 0, Action<IServiceCollection>? services = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        services?.Invoke(builder.Services);
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        WebApplication app = builder.Build();
        map(app);
        await app.StartAsync();
        Uri address = new(app.Urls.First().Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal) + "/");
        return new StubServer(app, address);
    }

    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    public static async Task DrainAsync(HttpRequest request)
    {
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            while (await request.Body.ReadAsync(buffer) > 0)
            {
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
