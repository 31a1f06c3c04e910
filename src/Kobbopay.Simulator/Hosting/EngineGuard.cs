using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Kobbopay.Simulator.Internal;

/// <summary>
/// The engine's middleware in front of its endpoints: for the <c>/v1</c> API it runs due expiries, answers the injected
/// fault the edge decided, and refuses a bad API key; for every route it turns an unexpected exception into the
/// contract's 500 body (a simulator bug, logged) and a caller that went away into a dropped request.
/// </summary>
internal sealed partial class EngineGuard(RequestDelegate next, SimulatorState state, ILogger<EngineGuard> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        RequestState request = RequestState.Of(context);
        try
        {
            if (context.Request.Path.StartsWithSegments("/v1", StringComparison.Ordinal))
            {
                state.Engine.RunDue(state.Clock.GetUtcNow());
                switch (request.Fault)
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
                        return; // the edge drops the connection; nothing is processed
                }

                if (request.AuthenticationError is { } error)
                {
                    await ApiResponses.WriteErrorAsync(context, error);
                    return;
                }
            }

            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            request.Dropped = true; // the caller went away
        }
        catch (Exception ex)
        {
            LogUnhandled(logger, ex, context.Request.Method, context.Request.Path.Value ?? string.Empty, request.RequestId);
            context.Response.Clear();
            await ApiResponses.WriteErrorAsync(context, StatusCodes.Status500InternalServerError, "internal_error", "The simulator failed unexpectedly; this is a simulator bug.");
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Unhandled simulator error on {Method} {Path} ({RequestId})")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path, string requestId);
}
