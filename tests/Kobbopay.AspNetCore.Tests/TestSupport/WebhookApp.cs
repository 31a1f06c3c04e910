using System.Net.Http.Headers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Testing;

namespace Kobbopay.AspNetCore.Tests.TestSupport;

/// <summary>A slim ASP.NET Core app on a <see cref="LoopbackHost"/> with the Kobbopay webhook endpoint mapped, and a client for it.</summary>
public sealed class WebhookApp : IAsyncDisposable
{
    public const string WebhookPath = "/webhook/kobbopay";

    private readonly LoopbackHost _host;

    private WebhookApp(LoopbackHost host)
    {
        _host = host;
        Client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) }) { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public HttpClient Client { get; }

    public IServiceProvider Services => _host.Services;

    /// <summary>Gets what the app logged, every category, at the level it was started with.</summary>
    public FakeLogCollector Logs => _host.Services.GetFakeLogCollector();

    /// <summary>Settings for <c>Kobbopay:Webhooks</c> with one hmac secret; tests add or remove keys.</summary>
    public static Dictionary<string, string?> DefaultSettings() => new() { ["Kobbopay:Webhooks:Secrets:0"] = Payloads.Secret };

    /// <summary>Starts an app whose handlers record into <paramref name="calls"/>; by default one <see cref="CatchAllHandler"/>.</summary>
    public static Task<WebhookApp> StartAsync(
        HandlerCalls calls,
        Action<KobbopayWebhooksBuilder>? webhooks = null,
        IDictionary<string, string?>? settings = null,
        Action<WebApplication>? middleware = null,
        LogLevel logLevel = LogLevel.Trace) =>
        StartAsync(
            webhooks ?? (w => w.AddHandler<CatchAllHandler>()),
            settings,
            logLevel,
            middleware,
            s => s.AddSingleton(calls).AddScoped<ScopeMarker>());

    public static async Task<WebhookApp> StartAsync(
        Action<KobbopayWebhooksBuilder>? webhooks,
        IDictionary<string, string?>? settings = null,
        LogLevel logLevel = LogLevel.Trace,
        Action<WebApplication>? middleware = null,
        Action<IServiceCollection>? services = null,
        bool mapWebhooks = true)
    {
        WebApplication app = Build(webhooks, settings, logLevel, middleware, services, mapWebhooks);
        return new WebhookApp(await LoopbackHost.StartAsync(app, Ct));
    }

    public static WebApplication Build(
        Action<KobbopayWebhooksBuilder>? webhooks,
        IDictionary<string, string?>? settings,
        LogLevel logLevel,
        Action<WebApplication>? middleware,
        Action<IServiceCollection>? services,
        bool mapWebhooks = true)
    {
        WebApplicationBuilder builder = LoopbackHost.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(settings ?? DefaultSettings());
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(logLevel);
        builder.Logging.AddFakeLogging();
        services?.Invoke(builder.Services);
        KobbopayWebhooksBuilder webhooksBuilder = builder.Services.AddKobbopayWebhooks(builder.Configuration.GetSection("Kobbopay:Webhooks"));
        webhooks?.Invoke(webhooksBuilder);
        WebApplication app = builder.Build();
        middleware?.Invoke(app);
        if (mapWebhooks)
        {
            app.MapKobbopayWebhooks(WebhookPath);
        }

        return app;
    }

    /// <summary>Posts <paramref name="body"/> with <paramref name="headers"/>; <paramref name="chunked"/> sends it without a Content-Length.</summary>
    public async Task<ApiResponse> PostAsync(
        byte[] body,
        IEnumerable<KeyValuePair<string, string>>? headers,
        string? contentType = "application/json",
        bool chunked = false,
        string? deliveryId = null)
    {
        using HttpRequestMessage request = new(HttpMethod.Post, WebhookPath);
        HttpContent content = chunked ? new ChunkedContent(body) : new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        request.Content = content;
        foreach (KeyValuePair<string, string> header in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        request.Headers.TryAddWithoutValidation("x-delivery-id", deliveryId ?? "dlv_" + Guid.NewGuid().ToString("N"));
        HttpResponseMessage response = await Client.SendAsync(request, Ct);
        return await ApiResponse.ReadAsync(response, Ct);
    }

    /// <summary>Signs <paramref name="body"/> with the default secret and posts it.</summary>
    public Task<ApiResponse> PostSignedAsync(byte[] body, string? deliveryId = null) =>
        PostAsync(body, Payloads.Sign(body), deliveryId: deliveryId);

    /// <summary>Delivers one signed body <paramref name="times"/> times, one after another; each answer as "status body".</summary>
    public async Task<string[]> DeliverAsync(byte[] body, int times)
    {
        string[] answers = new string[times];
        for (int i = 0; i < times; i++)
        {
            answers[i] = (await PostSignedAsync(body)).ToString();
        }

        return answers;
    }

    /// <summary>The endpoint's answer as <see cref="DeliverAsync"/> writes it: <c>200 {"status":"processed"}</c>.</summary>
    public static string Answer(int status, string outcome) => $$"""{{status}} {"status":"{{outcome}}"}""";

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _host.DisposeAsync();
    }

    /// <summary>Content of unknown length, so the client sends it chunked and the server must count the bytes.</summary>
    private sealed class ChunkedContent(byte[] body) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(body).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
