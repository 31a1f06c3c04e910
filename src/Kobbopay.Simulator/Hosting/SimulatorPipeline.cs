using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Kobbopay.Contracts;

namespace Kobbopay.Simulator.Internal;

/// <summary>
/// The middleware in front of every endpoint: request id, recording, the error guard, and for
/// the <c>/v1</c> API, due expiries, fault injection and API-key authentication.
/// </summary>
internal sealed partial class SimulatorPipeline(RequestDelegate next, SimulatorState state, ILogger<SimulatorPipeline> logger)
{
    private const int RecordedBodyLimit = 4096;

    public async Task InvokeAsync(HttpContext context)
    {
        string requestId = RequestIds.Get(context);
        context.Response.Headers[KobbopayHeaders.RequestId] = requestId;
        RequestState request = RequestState.Of(context);
        request.Sequence = state.Recorder.NextSequence();
        request.ReceivedAt = state.Clock.GetUtcNow();

        // Record as the answer starts (or just before a connection is dropped), not after it has
        // gone: a caller that has seen the answer then always finds the request recorded.
        context.Response.OnStarting(static s =>
        {
            var (pipeline, ctx) = ((SimulatorPipeline, HttpContext))s;
            pipeline.Record(ctx);
            return Task.CompletedTask;
        }, (this, context));
        try
        {
            if (context.Request.Path.StartsWithSegments("/v1", StringComparison.Ordinal))
            {
                await InvokeApiAsync(context, request);
            }
            else if (context.Request.Path.StartsWithSegments("/_sim", StringComparison.Ordinal) && !AdminAccess.IsAllowed(context.Request, state.Options.AdminToken))
            {
                await ApiResponses.WriteErrorAsync(context, StatusCodes.Status401Unauthorized, "invalid_admin_token", "The control API needs the simulator's admin token: send Authorization: Bearer <token> (--admin-token).");
            }
            else
            {
                await next(context);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            request.Dropped = true; // the caller went away
        }
        catch (Exception ex)
        {
            LogUnhandled(logger, ex, context.Request.Method, context.Request.Path.Value ?? string.Empty, requestId);
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                context.Response.Headers[KobbopayHeaders.RequestId] = requestId;
                await ApiResponses.WriteErrorAsync(context, StatusCodes.Status500InternalServerError, "internal_error", "The simulator failed unexpectedly; this is a simulator bug.");
            }
        }
        finally
        {
            Record(context);
        }
    }

    private async Task InvokeApiAsync(HttpContext context, RequestState request)
    {
        state.Engine.RunDue(state.Clock.GetUtcNow());
        FaultDecision fault = state.Faults.Next();
        request.Fault = fault.Kind;
        if (fault.Latency > TimeSpan.Zero)
        {
            await Task.Delay(fault.Latency, context.RequestAborted);
        }

        switch (fault.Kind)
        {
            case FaultKind.InternalError:
                await ApiResponses.WriteErrorAsync(context, StatusCodes.Status500InternalServerError, "internal_error", "Injected fault: internal error.");
                return;
            case FaultKind.Unavailable:
                await ApiResponses.WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "unavailable", "Injected fault: service unavailable.");
                return;
            case FaultKind.RateLimited:
                int seconds = state.Faults.Options.RetryAfterSeconds;
                context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await ApiResponses.WriteErrorAsync(context, StatusCodes.Status429TooManyRequests, "rate_limited", $"Injected fault: rate limited; retry after {seconds} s.");
                return;
            case FaultKind.DropConnection:
                request.Dropped = true;
                Record(context);
                context.Abort();
                return;
        }

        if (Authenticate(context, request) is { } error)
        {
            await ApiResponses.WriteErrorAsync(context, error);
            return;
        }

        if (fault.Kind == FaultKind.ResponseLoss)
        {
            // Process the request for real, then lose the answer: only idempotency saves the caller.
            Stream original = context.Response.Body;
            context.Response.Body = Stream.Null;
            try
            {
                await next(context);
            }
            finally
            {
                context.Response.Body = original;
                request.Dropped = true;
                Record(context);
                context.Abort();
            }

            return;
        }

        await next(context);
    }

    private ApiError? Authenticate(HttpContext context, RequestState request)
    {
        string header = state.Options.ApiKeyHeaderName;
        string? key = context.Request.Headers[header].Count == 1 ? context.Request.Headers[header][0] : null;
        if (string.IsNullOrEmpty(key))
        {
            return new ApiError(StatusCodes.Status401Unauthorized, "invalid_api_key", $"Send your API key in the {header} header.");
        }

        EnvironmentState? env = state.FindByApiKey(key);
        if (env is not null)
        {
            request.Environment = env;
            return null;
        }

        // A key of an environment kind this simulator does not host: say so, without echoing the key.
        if ((key.StartsWith(KobbopayPrefixes.LiveApiKey, StringComparison.Ordinal) && !state.HostsProduction)
            || (key.StartsWith(KobbopayPrefixes.TestApiKey, StringComparison.Ordinal) && !state.HostsNonProduction))
        {
            string kind = key.StartsWith(KobbopayPrefixes.LiveApiKey, StringComparison.Ordinal) ? "a production (kp_live_) key" : "a non-production (kp_test_) key";
            return new ApiError(StatusCodes.Status403Forbidden, "environment_mismatch", $"This endpoint does not serve that environment: the request carries {kind}.");
        }

        return new ApiError(StatusCodes.Status401Unauthorized, "invalid_api_key", "The API key is not valid.");
    }

    private void Record(HttpContext context)
    {
        RequestState request = RequestState.Of(context);
        if (request.Recorded)
        {
            return;
        }

        request.Recorded = true;
        string? idempotencyKey = context.Request.Headers[KobbopayHeaders.IdempotencyKey].Count > 0 ? context.Request.Headers[KobbopayHeaders.IdempotencyKey].ToString() : null;
        string? body = request.Body is { } b ? Encoding.UTF8.GetString(b.AsSpan(0, Math.Min(b.Length, RecordedBodyLimit))) : null;
        state.Recorder.Add(new RecordedRequest(
            request.Sequence,
            request.ReceivedAt,
            context.Request.Method,
            context.Request.Path.Value ?? string.Empty,
            context.Request.QueryString.Value ?? string.Empty,
            request.Environment?.Name,
            idempotencyKey,
            body,
            request.Dropped ? 0 : context.Response.StatusCode,
            FaultInjector.Name(request.Fault),
            RequestIds.Get(context)));
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Unhandled simulator error on {Method} {Path} ({RequestId})")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path, string requestId);
}
