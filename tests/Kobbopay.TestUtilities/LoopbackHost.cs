using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kobbopay.TestUtilities;

/// <summary>
/// An ASP.NET Core app on real Kestrel at 127.0.0.1, on a port the operating system picks, for tests: a merchant app
/// with the webhook endpoint, a receiver of the simulator's deliveries, a stub. Dispose it at the end of the test.
/// </summary>
/// <remarks>
/// The app is a slim <see cref="WebApplication"/> in the Production environment (whatever ASPNETCORE_ENVIRONMENT
/// says) with no logging providers; a test that wants logs adds its provider in the builder callback. The address is
/// the one Kestrel bound, read from <see cref="IServerAddressesFeature"/> once the app has started.
/// </remarks>
public sealed class LoopbackHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>Gets the address Kestrel listens on, with a trailing slash: <c>http://127.0.0.1:{port}/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Gets the app's services.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts an app whose endpoints <paramref name="configureApp"/> maps.</summary>
    /// <param name="configureApp">Adds middleware and maps endpoints.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The started host.</returns>
    public static Task<LoopbackHost> StartAsync(Action<WebApplication> configureApp, CancellationToken cancellationToken) =>
        StartAsync(configureBuilder: null, configureApp, port: 0, cancellationToken);

    /// <summary>Starts an app configured by <paramref name="configureBuilder"/> whose endpoints <paramref name="configureApp"/> maps.</summary>
    /// <param name="configureBuilder">Registers services, configuration and logging; <see langword="null"/> for none.</param>
    /// <param name="configureApp">Adds middleware and maps endpoints.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The started host.</returns>
    public static Task<LoopbackHost> StartAsync(
        Action<WebApplicationBuilder>? configureBuilder,
        Action<WebApplication> configureApp,
        CancellationToken cancellationToken) =>
        StartAsync(configureBuilder, configureApp, port: 0, cancellationToken);

    /// <summary>Starts an app on a given loopback <paramref name="port"/> (0: a free one), configured by the callbacks.</summary>
    /// <param name="configureBuilder">Registers services, configuration and logging; <see langword="null"/> for none.</param>
    /// <param name="configureApp">Adds middleware and maps endpoints.</param>
    /// <param name="port">The port to listen on; 0 lets the operating system pick a free one.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The started host.</returns>
    public static Task<LoopbackHost> StartAsync(
        Action<WebApplicationBuilder>? configureBuilder,
        Action<WebApplication> configureApp,
        int port,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configureApp);
        WebApplicationBuilder builder = CreateBuilder(port);
        configureBuilder?.Invoke(builder);
        WebApplication app = builder.Build();
        configureApp(app);
        return StartAsync(app, cancellationToken);
    }

    /// <summary>Creates the builder of an app on loopback, for a test that builds the app itself (and may never start it).</summary>
    /// <param name="port">The port to listen on; 0 lets the operating system pick a free one.</param>
    /// <returns>A slim builder in the Production environment, with no logging providers, Kestrel on 127.0.0.1.</returns>
    public static WebApplicationBuilder CreateBuilder(int port = 0)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        return builder;
    }

    /// <summary>Starts <paramref name="app"/>, built from <see cref="CreateBuilder"/>, and reads the address Kestrel bound.</summary>
    /// <param name="app">The app; the host owns it from here on, and disposes it if the start fails.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The started host.</returns>
    public static async Task<LoopbackHost> StartAsync(WebApplication app, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            IFeatureCollection features = app.Services.GetRequiredService<IServer>().Features;
            string address = features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
            return new LoopbackHost(app, new Uri(address.TrimEnd('/') + "/"));
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Gets the absolute address of <paramref name="path"/> on this host.</summary>
    /// <param name="path">A path such as <c>/webhook/kobbopay</c>.</param>
    /// <returns>The absolute address.</returns>
    public Uri Url(string path) => new(BaseAddress, path);

    /// <summary>Stops the app; a <paramref name="cancellationToken"/> that fires stops it without waiting for requests in flight.</summary>
    /// <param name="cancellationToken">Ends the graceful shutdown.</param>
    /// <returns>A task that completes when the app has stopped.</returns>
    public Task StopAsync(CancellationToken cancellationToken) => _app.StopAsync(cancellationToken);

    /// <summary>Waits until the app is told to stop (Ctrl+C, SIGTERM), for a host that serves until then.</summary>
    /// <returns>A task that completes when the app has shut down.</returns>
    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    /// <summary>Stops the app, waiting for requests in flight, and releases it.</summary>
    /// <returns>A task that completes when the app is gone.</returns>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
