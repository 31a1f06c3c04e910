using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WireMock;
using WireMock.Types;
using WireMock.Util;

namespace Kobbopay.Simulator.Internal;

/// <summary>
/// The engine's endpoints (the <c>/v1</c> API, <c>/_sim</c>, the status page and the OpenAPI document) as an ASP.NET Core
/// request pipeline that never listens: the lifecycle mappings' callbacks run each request through it in memory, on
/// a copy of the real request, and hand WireMock the answer. Routing, route-handler metadata and the OpenAPI document
/// stay ASP.NET Core's; WireMock owns the connection, matching, stubs and the journal.
/// </summary>
internal sealed class EngineHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RequestDelegate _pipeline;
    private readonly IHttpContextFactory _contexts;

    private EngineHost(WebApplication app)
    {
        _app = app;
        _contexts = app.Services.GetRequiredService<IHttpContextFactory>();
        _pipeline = ((IApplicationBuilder)app).Build();
        State = app.Services.GetRequiredService<SimulatorState>();
    }

    public SimulatorState State { get; }

    public ILogger CreateLogger(string category) => _app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(category);

    public static EngineHost Create(KobbopaySimulatorOptions options)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(KobbopaySimulator).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Production",
        });
        builder.Logging.ClearProviders();
        options.ConfigureLogging?.Invoke(builder.Logging);
        builder.Services.AddSingleton(sp => new SimulatorState(options, sp.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddSingleton<IHostLifetime, PassiveHostLifetime>();
        builder.Services.AddRoutingCore();
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, SimulatorJsonContext.Default));
        builder.Services.AddOpenApi(openApi => openApi.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Kobbopay API (simulator)";
            document.Info.Description = "The Kobbopay payment API as the bundled simulator implements it (CONTRACT.md), plus the simulator's control API under /_sim.";
            return Task.CompletedTask;
        }));

        WebApplication app = builder.Build();
        SimulatorState state = app.Services.GetRequiredService<SimulatorState>();
        app.UseRouting();
        app.UseMiddleware<EngineGuard>();
        app.UseStatusCodePages(async context =>
        {
            // Framework answers without a body (no route, wrong method) still get the contract's error body.
            HttpContext http = context.HttpContext;
            string? param = null;
            string message;
            switch (http.Response.StatusCode)
            {
                case StatusCodes.Status405MethodNotAllowed:
                    message = $"{http.Request.Method} is not allowed on {http.Request.Path}.";
                    break;
                case StatusCodes.Status415UnsupportedMediaType:
                    // Routing refused the body's type before any endpoint ran: say what was wrong, not that nothing is there.
                    param = "Content-Type";
                    message = $"{http.Request.Method} {http.Request.Path} takes a JSON body: Content-Type must be application/json (UTF-8); it was {(string.IsNullOrEmpty(http.Request.ContentType) ? "missing" : $"'{http.Request.ContentType}'")}.";
                    break;
                default:
                    message = $"No endpoint at {http.Request.Method} {http.Request.Path}.";
                    break;
            }

            await ApiResponses.WriteErrorAsync(http, http.Response.StatusCode, "invalid_request", message, param);
        });
        app.MapOpenApi("/openapi/{documentName}.json");
        ApiEndpoints.Map(app, state);
        ControlEndpoints.Map(app, state);
        DashboardEndpoints.Map(app, state);
        app.UseEndpoints(static _ => { });
        return new EngineHost(app);
    }

    /// <summary>Answers a request that a lifecycle mapping matched: the callback of every such mapping.</summary>
    public async Task<IResponseMessage> AnswerAsync(IRequestMessage message)
    {
        RequestState request = RequestState.Current ?? throw new InvalidOperationException($"{message.Method} {message.Path} reached the engine without passing the simulator's edge.");
        HttpContext connection = request.Connection!;
        HttpRequest real = connection.Request;

        HeaderDictionary headers = new(real.Headers.Count);
        foreach (var header in real.Headers)
        {
            headers[header.Key] = header.Value;
        }

        headers.Remove(RequestJournal.Header);
        if (request.ApiKey is { } key)
        {
            headers[State.Options.ApiKeyHeaderName] = key;
        }

        if (request.Authorization is { } authorization)
        {
            headers[Microsoft.Net.Http.Headers.HeaderNames.Authorization] = authorization;
        }

        MemoryStream responseBody = new();
        FeatureCollection features = new();
        features.Set<IHttpRequestFeature>(new HttpRequestFeature
        {
            Method = real.Method,
            Scheme = real.Scheme,
            Protocol = real.Protocol,
            PathBase = string.Empty,
            Path = real.Path.Value ?? "/",
            QueryString = real.QueryString.Value ?? string.Empty,
            RawTarget = real.Path.Value + real.QueryString.Value,
            Headers = headers,
            Body = request.Body is { } body ? new MemoryStream(body, writable: false) : Stream.Null,
        });
        features.Set<IHttpResponseFeature>(new HttpResponseFeature());
        features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(responseBody));
        features.Set<IHttpRequestLifetimeFeature>(new HttpRequestLifetimeFeature { RequestAborted = connection.RequestAborted });
        if (connection.Features.Get<IHttpConnectionFeature>() is { } connectionFeature)
        {
            features.Set(connectionFeature);
        }

        HttpContext context = _contexts.Create(features);
        try
        {
            request.AttachTo(context);
            await _pipeline(context);
            return ToResponse(context, responseBody, connection);
        }
        finally
        {
            _contexts.Dispose(context);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await State.Dispatcher.DisposeAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static ResponseMessage ToResponse(HttpContext context, MemoryStream body, HttpContext connection)
    {
        Dictionary<string, WireMockList<string>> headers = new(StringComparer.OrdinalIgnoreCase);
        foreach (var header in context.Response.Headers)
        {
            if (!string.Equals(header.Key, "Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                headers[header.Key] = new WireMockList<string>(header.Value.ToArray()!);
            }
        }

        ResponseMessage response = new() { StatusCode = context.Response.StatusCode, Headers = headers };
        if (body.Length > 0)
        {
            byte[] bytes = body.ToArray();
            response.BodyData = new BodyData { BodyAsBytes = bytes, DetectedBodyType = BodyType.Bytes };
            connection.Response.ContentLength = bytes.Length; // WireMock writes exactly these bytes; no chunking needed
        }

        return response;
    }
}
