using Kobbopay.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Kobbopay.Simulator.Internal;

/// <summary>
/// The simulator's edge: middleware on the real connection, in front of WireMock's (its
/// <c>PreWireMockMiddlewareInit</c> hook). It gives every request its id, order and simulated time (the journal header),
/// checks the admin token of <c>/_sim</c> and <c>/__admin</c>, buffers the body within its cap, and for the <c>/v1</c>
/// API resolves the API key, decides the injected fault and adds its latency. Faults that need the connection itself
/// happen here: a dropped connection and a lost answer end with <see cref="HttpContext.Abort"/> after WireMock has
/// journaled the request. Secrets never reach the journal: the API key and the Authorization header are cut to their
/// prefix and scheme before WireMock reads the request, and the engine gets them back from <see cref="RequestState"/>.
/// </summary>
internal sealed partial class SimulatorEdge(SimulatorState state, AdminGuard adminGuard, ILogger logger)
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await InvokeCoreAsync(context, next);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // the caller went away
        }
        catch (Exception ex)
        {
            // Never WireMock's serialized exception (a stack trace with source paths): the contract's 500, logged.
            LogUnhandled(logger, ex, context.Request.Method, context.Request.Path.Value ?? string.Empty);
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                await ApiResponses.WriteErrorAsync(context, StatusCodes.Status500InternalServerError, "internal_error", "The simulator failed unexpectedly; this is a simulator bug.");
            }
        }
    }

    private async Task InvokeCoreAsync(HttpContext context, RequestDelegate next)
    {
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        HttpRequest http = context.Request;
        RequestState request = new()
        {
            Connection = context,
            Sequence = state.Journal.NextSequence(),
            ReceivedAt = state.Clock.GetUtcNow(),
        };
        request.AttachTo(context);
        string requestId = RequestIds.Get(context);
        context.Response.Headers[KobbopayHeaders.RequestId] = requestId;
        http.Headers.Remove(RequestJournal.Header); // ours to write, never a caller's

        bool admin = http.Path.StartsWithSegments("/__admin", StringComparison.OrdinalIgnoreCase);
        if ((admin || http.Path.StartsWithSegments("/_sim", StringComparison.Ordinal)) && !DashboardAssets.IsPublic(http) && !AdminAccess.IsAllowed(http, state.Options.AdminToken))
        {
            await ApiResponses.WriteErrorAsync(context, StatusCodes.Status401Unauthorized, "invalid_admin_token", "The admin and control APIs need the simulator's admin token: send Authorization: Bearer <token> (--admin-token).");
            return;
        }

        if (DashboardVersion.Matches(http))
        {
            await DashboardVersion.WriteAsync(context, state); // the dashboard's poll: answered here, never journaled
            return;
        }

        if (admin)
        {
            // An admin path WireMock does not serve falls through to the simulator's fallback (the contract's 404),
            // which WireMock journals: the token is checked above and never journaled.
            HideSecrets(http, request, hideApiKey: true);
            RequestState.Current = request;
            try
            {
                await adminGuard.InvokeAsync(context, next);
            }
            finally
            {
                RequestState.Current = null;
            }

            return;
        }

        if (!await BufferBodyAsync(context, request))
        {
            await ApiResponses.WriteErrorAsync(context, StatusCodes.Status413PayloadTooLarge, "invalid_request", $"The request body is larger than the {state.Options.MaxRequestBodyBytes}-byte limit.");
            return;
        }

        bool api = http.Path.StartsWithSegments("/v1", StringComparison.Ordinal);
        if (api)
        {
            if (state.Options.ProxyTo is null)
            {
                Authenticate(http, request); // proxied, the other gateway checks the key
            }

            FaultDecision fault = state.Faults.Next();
            request.Fault = fault.Kind;
            if (fault.Latency > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(fault.Latency, context.RequestAborted);
                }
                catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
                {
                    return; // the caller went away
                }
            }
        }

        HideSecrets(http, request, hideApiKey: !api || state.Options.ProxyTo is null);
        http.Headers[RequestJournal.Header] = RequestJournal.Describe(request);
        bool abort = request.Fault is FaultKind.DropConnection or FaultKind.ResponseLoss;
        if (abort)
        {
            // WireMock journals the request and the engine answers it (or, for a drop, does not touch it); nothing reaches the caller.
            context.Response.Body = Stream.Null;
        }

        // The live console's line, written as the answer starts (before the caller can read it), or at the end when none does.
        int logged = 0;
        void LogOnce(int status)
        {
            if (Interlocked.Exchange(ref logged, 1) == 0)
            {
                ConsoleLog.Request(state.Console, http.Method, http.Path.Value ?? string.Empty, status, System.Diagnostics.Stopwatch.GetElapsedTime(started), requestId, FaultInjector.Name(request.Fault));
            }
        }

        if (api)
        {
            context.Response.OnStarting(() =>
            {
                LogOnce(context.Response.StatusCode);
                return Task.CompletedTask;
            });
        }

        RequestState.Current = request;
        try
        {
            await next(context);
        }
        finally
        {
            RequestState.Current = null;
            state.Journal.Trim();
            if (abort)
            {
                request.Dropped = true;
                context.Abort();
            }

            if (api)
            {
                LogOnce(request.Fault == FaultKind.DropConnection ? 0 : context.Response.StatusCode); // an answer never started (a dropped connection)
            }
        }
    }

    private async Task<bool> BufferBodyAsync(HttpContext context, RequestState request)
    {
        HttpRequest http = context.Request;
        int cap = state.Options.MaxRequestBodyBytes;
        if (http.ContentLength == 0 || (http.ContentLength is null && !http.Headers.ContainsKey("Transfer-Encoding")))
        {
            return true;
        }

        if (await RequestBodyReader.ReadCappedAsync(http, cap, context.RequestAborted) is not { } body)
        {
            return false;
        }

        request.Body = body;
        http.Body = new MemoryStream(body, writable: false);
        return true;
    }

    private void Authenticate(HttpRequest http, RequestState request)
    {
        string header = state.Options.ApiKeyHeaderName;
        string? key = http.Headers[header].Count == 1 ? http.Headers[header][0] : null;
        request.ApiKey = key;
        if (string.IsNullOrEmpty(key))
        {
            request.AuthenticationError = new ApiError(StatusCodes.Status401Unauthorized, "invalid_api_key", $"Send your API key in the {header} header.");
            return;
        }

        if (state.FindByApiKey(key) is { } env)
        {
            request.Environment = env;
            return;
        }

        // A key of an environment kind this simulator does not host: say so, without echoing the key.
        if ((key.StartsWith(KobbopayPrefixes.LiveApiKey, StringComparison.Ordinal) && !state.HostsProduction)
            || (key.StartsWith(KobbopayPrefixes.TestApiKey, StringComparison.Ordinal) && !state.HostsNonProduction))
        {
            string kind = key.StartsWith(KobbopayPrefixes.LiveApiKey, StringComparison.Ordinal) ? "a production (kp_live_) key" : "a non-production (kp_test_) key";
            request.AuthenticationError = new ApiError(StatusCodes.Status403Forbidden, "environment_mismatch", $"This endpoint does not serve that environment: the request carries {kind}.");
            return;
        }

        request.AuthenticationError = new ApiError(StatusCodes.Status401Unauthorized, "invalid_api_key", "The API key is not valid.");
    }

    private void HideSecrets(HttpRequest http, RequestState request, bool hideApiKey)
    {
        string header = state.Options.ApiKeyHeaderName;
        if (hideApiKey && http.Headers.TryGetValue(header, out var keys))
        {
            request.ApiKey ??= keys.Count == 1 ? keys[0] : null;
            http.Headers[header] = Redacted(keys.ToString());
        }

        if (http.Headers.Authorization is { Count: > 0 } authorization)
        {
            request.Authorization = authorization.ToString();
            int space = request.Authorization.IndexOf(' ', StringComparison.Ordinal);
            http.Headers.Authorization = space > 0 ? request.Authorization[..space] + " ***" : "***";
        }
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Unhandled simulator error at the edge on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);

    /// <summary>Keeps a key's kind (<c>kp_test_</c>, <c>kp_live_</c>) and nothing of its secret part.</summary>
    private static string Redacted(string key) =>
        key.StartsWith(KobbopayPrefixes.TestApiKey, StringComparison.Ordinal) ? KobbopayPrefixes.TestApiKey + "***"
        : key.StartsWith(KobbopayPrefixes.LiveApiKey, StringComparison.Ordinal) ? KobbopayPrefixes.LiveApiKey + "***"
        : "***";
}
