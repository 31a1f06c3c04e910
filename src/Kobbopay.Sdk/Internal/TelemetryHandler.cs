using System.Diagnostics;
using Kobbopay.Sdk.Resilience;
using Microsoft.Extensions.Logging;

namespace Kobbopay.Sdk.Internal;

/// <summary>
/// Outermost handler: one activity, one duration and one log line per logical call (retries
/// included). Logs method, path, status and time; never headers, so never the key. It stamps the request with the
/// call's start, so the retry rules know how much of the total timeout is left when a server asks to wait.
/// </summary>
internal sealed partial class TelemetryHandler(ILogger logger, TimeProvider timeProvider) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string method = request.Method.Method;
        using Activity? activity = KobbopayTelemetry.ActivitySource.HasListeners()
            ? KobbopayTelemetry.ActivitySource.StartActivity(ActivityName(method), ActivityKind.Client)
            : null;
        if (activity is not null)
        {
            activity.SetTag("http.request.method", method);
            activity.SetTag("url.path", PathOf(request));
        }

        long started = timeProvider.GetTimestamp();
        request.Options.Set(KobbopayResiliencePipeline.CallStartedKey, started);
        string outcome = "exception";
        try
        {
            HttpResponseMessage response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            int status = (int)response.StatusCode;
            outcome = status < 400 ? "success" : "error";
            activity?.SetTag("http.response.status_code", status);
            if (status >= 400)
            {
                activity?.SetStatus(ActivityStatusCode.Error);
            }

            if (logger.IsEnabled(LogLevel.Debug))
            {
                LogCompleted(logger, method, PathOf(request), status, timeProvider.GetElapsedTime(started).TotalMilliseconds);
            }

            return response;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            outcome = "cancelled";
            throw;
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            if (logger.IsEnabled(LogLevel.Warning))
            {
                LogFailed(logger, method, PathOf(request), ex.GetType().Name, timeProvider.GetElapsedTime(started).TotalMilliseconds);
            }

            throw;
        }
        finally
        {
            // Nothing to build when no meter listener is subscribed (the usual case without OpenTelemetry).
            if (KobbopayTelemetry.Requests.Enabled || KobbopayTelemetry.RequestDuration.Enabled)
            {
                TagList tags = new() { { "http.request.method", method }, { "outcome", outcome } };
                KobbopayTelemetry.Requests.Add(1, tags);
                KobbopayTelemetry.RequestDuration.Record(timeProvider.GetElapsedTime(started).TotalSeconds, tags);
            }
        }
    }

    // Uri.AbsolutePath makes a new string on every read: read only for a listener or a log line that is written.
    private static string PathOf(HttpRequestMessage request) => request.RequestUri?.AbsolutePath ?? string.Empty;

    private static string ActivityName(string method) => method switch
    {
        "GET" => "kobbopay GET",
        "POST" => "kobbopay POST",
        _ => "kobbopay " + method,
    };

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Kobbopay {Method} {Path} answered {StatusCode} in {ElapsedMs:0.0} ms")]
    private static partial void LogCompleted(ILogger logger, string method, string path, int statusCode, double elapsedMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Kobbopay {Method} {Path} failed with {Exception} after {ElapsedMs:0.0} ms")]
    private static partial void LogFailed(ILogger logger, string method, string path, string exception, double elapsedMs);
}
