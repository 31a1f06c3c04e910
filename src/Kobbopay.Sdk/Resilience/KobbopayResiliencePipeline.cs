using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Kobbopay.Sdk.Resilience;

/// <summary>
/// Builds the client's resilience pipeline, outermost first: total timeout, retry, circuit breaker,
/// attempt timeout (the order of Microsoft.Extensions.Http.Resilience's standard pipeline).
/// </summary>
/// <remarks>
/// Retried: 408, 409 with error code <c>idempotency_key_in_use</c>, 429, 5xx, <see cref="HttpRequestException"/> and an
/// attempt's <see cref="TimeoutRejectedException"/>; a request whose method is not idempotent (<c>POST</c>, <c>PATCH</c>)
/// only when it carries an <c>Idempotency-Key</c> header. A <c>Retry-After</c> on the response replaces the computed
/// delay; one longer than <see cref="KobbopayResilienceOptions.MaxRetryAfter"/> stops the retries and the response is
/// returned. The circuit breaker counts 408, 5xx, network failures and attempt timeouts (not 409 nor 429: those say the
/// service is healthy and busy). Every delay and timeout runs on the given <see cref="TimeProvider"/>.
/// </remarks>
internal static class KobbopayResiliencePipeline
{
    /// <summary>The request header whose presence makes a non-idempotent request safe to retry.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>The context property under which <see cref="KobbopayResilienceHandler"/> puts the request being sent.</summary>
    public static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new("Kobbopay.Sdk.Request");

    // A 409 error body is a few hundred bytes; a larger one is not ours and is not inspected.
    private const int MaxErrorBodyBytes = 64 * 1024;

    /// <summary>Creates a pipeline from <paramref name="options"/>; later changes to the options do not affect it.</summary>
    /// <param name="options">The settings; validated first.</param>
    /// <param name="timeProvider">The clock of every delay and timeout.</param>
    /// <param name="logger">Where retries, timeouts and circuit changes are logged.</param>
    /// <returns>A pipeline meant to be shared by every call of one client (the circuit breaker's state lives in it).</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> has a bad setting; the message names each one.</exception>
    public static ResiliencePipeline<HttpResponseMessage> Create(KobbopayResilienceOptions options, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);

        string[] errors = [.. options.Validate("Resilience")];
        if (errors.Length > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }

        TimeSpan maxRetryAfter = options.MaxRetryAfter;
        int maxRetries = options.MaxRetryAttempts;

        ResiliencePipelineBuilder<HttpResponseMessage> builder = new()
        {
            Name = "Kobbopay",
            TimeProvider = timeProvider,
            TelemetryListener = options.EnableCircuitBreaker ? new KobbopayCircuitBreakerLogger(logger) : null,
        };

        builder.AddTimeout(new TimeoutStrategyOptions
        {
            Name = "TotalRequestTimeout",
            Timeout = options.TotalRequestTimeout,
            OnTimeout = args =>
            {
                if (logger.IsEnabled(LogLevel.Warning))
                {
                    HttpRequestMessage? request = GetRequest(args.Context, null);
                    KobbopayResilienceLog.TotalTimeoutReached(logger, MethodOf(request), PathOf(request), args.Timeout);
                }

                return default;
            },
        });

        // Polly's retry needs at least one attempt; zero retries means no retry strategy at all.
        if (maxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                Name = "Retry",
                MaxRetryAttempts = maxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = options.UseJitter,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.MaxRetryDelay,
                ShouldHandle = args => ShouldRetryAsync(args, maxRetryAfter, timeProvider, logger),
                DelayGenerator = args => new ValueTask<TimeSpan?>(
                    args.Outcome.Result is { } response && TryGetRetryAfter(response, timeProvider, out TimeSpan delay) ? delay : null),
                OnRetry = args =>
                {
                    ReportRetry(args, maxRetries, logger);
                    return default;
                },
            });
        }

        if (options.EnableCircuitBreaker)
        {
            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                Name = "CircuitBreaker",
                FailureRatio = options.CircuitBreakerFailureRatio,
                MinimumThroughput = options.CircuitBreakerMinimumThroughput,
                SamplingDuration = options.CircuitBreakerSamplingDuration,
                BreakDuration = options.CircuitBreakerBreakDuration,
                ShouldHandle = args => new ValueTask<bool>(IsBreakerFailure(args.Outcome)),

                // No OnOpened/OnClosed/OnHalfOpened: Polly runs those on a background executor and makes the call
                // that changed the state wait for it. The state changes are logged from the telemetry stream instead.
            });
        }

        builder.AddTimeout(new TimeoutStrategyOptions
        {
            Name = "AttemptTimeout",
            Timeout = options.AttemptTimeout,
            OnTimeout = args =>
            {
                if (logger.IsEnabled(LogLevel.Warning))
                {
                    HttpRequestMessage? request = GetRequest(args.Context, null);
                    KobbopayResilienceLog.AttemptTimedOut(logger, MethodOf(request), PathOf(request), args.Timeout);
                }

                return default;
            },
        });

        return builder.Build();
    }

    /// <summary>Reads a response's <c>Retry-After</c>: delta seconds, or an HTTP date relative to <paramref name="timeProvider"/>'s now.</summary>
    /// <param name="response">The response.</param>
    /// <param name="timeProvider">The clock an HTTP date is measured against.</param>
    /// <param name="delay">The delay asked for, never negative (a date in the past is zero).</param>
    /// <returns><see langword="true"/> when the response has a usable <c>Retry-After</c>.</returns>
    internal static bool TryGetRetryAfter(HttpResponseMessage response, TimeProvider timeProvider, out TimeSpan delay)
    {
        switch (response.Headers.RetryAfter)
        {
            case { Delta: { } delta }:
                delay = delta > TimeSpan.Zero ? delta : TimeSpan.Zero;
                return true;
            case { Date: { } date }:
                TimeSpan untilDate = date - timeProvider.GetUtcNow();
                delay = untilDate > TimeSpan.Zero ? untilDate : TimeSpan.Zero;
                return true;
            default:
                delay = default;
                return false;
        }
    }

    /// <summary>Tells whether a JSON error body is <c>{"error":{"code":"<paramref name="code"/>", ...}, ...}</c>.</summary>
    /// <param name="json">The UTF-8 body.</param>
    /// <param name="code">The UTF-8 error code looked for.</param>
    /// <returns><see langword="true"/> when <c>error.code</c> equals <paramref name="code"/>; <see langword="false"/> otherwise, malformed JSON included.</returns>
    internal static bool HasErrorCode(ReadOnlySpan<byte> json, ReadOnlySpan<byte> code)
    {
        if (json.StartsWith("\uFEFF"u8))
        {
            json = json[3..];
        }

        try
        {
            Utf8JsonReader reader = new(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isError = reader.ValueTextEquals("error"u8);
                if (!reader.Read())
                {
                    return false;
                }

                if (isError && reader.TokenType == JsonTokenType.StartObject)
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        bool isCode = reader.ValueTextEquals("code"u8);
                        if (!reader.Read())
                        {
                            return false;
                        }

                        if (isCode)
                        {
                            bool found = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(code);

                            // Read on to the end: a truncated or malformed body throws, and is no match.
                            while (reader.Read())
                            {
                            }

                            return found;
                        }

                        reader.Skip();
                    }

                    return false;
                }

                reader.Skip();
            }

            return false;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static ValueTask<bool> ShouldRetryAsync(RetryPredicateArguments<HttpResponseMessage> args, TimeSpan maxRetryAfter, TimeProvider timeProvider, ILogger logger)
    {
        Outcome<HttpResponseMessage> outcome = args.Outcome;
        if (outcome.Exception is { } exception)
        {
            // Not OperationCanceledException (the caller or the total timeout), nor BrokenCircuitException.
            return new(exception is HttpRequestException or TimeoutRejectedException && IsRetryable(GetRequest(args.Context, null)));
        }

        if (outcome.Result is not { } response)
        {
            return new(false);
        }

        int status = (int)response.StatusCode;
        bool conflict = response.StatusCode == HttpStatusCode.Conflict;
        if (!conflict && !IsTransientStatus(status))
        {
            return new(false);
        }

        HttpRequestMessage? request = GetRequest(args.Context, response);
        if (!IsRetryable(request))
        {
            return new(false);
        }

        if (TryGetRetryAfter(response, timeProvider, out TimeSpan retryAfter) && retryAfter > maxRetryAfter)
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
                KobbopayResilienceLog.RetryAfterTooLong(logger, MethodOf(request), PathOf(request), status, retryAfter, maxRetryAfter);
            }

            return new(false);
        }

        return conflict ? IsIdempotencyKeyInUseAsync(response, args.Context.CancellationToken) : new(true);
    }

    private static bool IsTransientStatus(int status) =>
        status >= 500 || status == (int)HttpStatusCode.RequestTimeout || status == (int)HttpStatusCode.TooManyRequests;

    private static bool IsBreakerFailure(Outcome<HttpResponseMessage> outcome) => outcome.Exception switch
    {
        null => outcome.Result is { } response && ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout),
        HttpRequestException or TimeoutRejectedException => true,
        _ => false,
    };

    /// <summary>Tells whether sending <paramref name="request"/> twice is safe: an idempotent method, or an idempotency key.</summary>
    private static bool IsRetryable(HttpRequestMessage? request)
    {
        if (request is null)
        {
            return false;
        }

        HttpMethod method = request.Method;
        return method == HttpMethod.Get
            || method == HttpMethod.Head
            || method == HttpMethod.Options
            || method == HttpMethod.Trace
            || method == HttpMethod.Put
            || method == HttpMethod.Delete
            || request.Headers.Contains(IdempotencyKeyHeader);
    }

    private static async ValueTask<bool> IsIdempotencyKeyInUseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        HttpContent content = response.Content;
        if (content.Headers.ContentLength is > MaxErrorBodyBytes)
        {
            return false;
        }

        try
        {
            // Buffered, the body stays readable by the caller when the 409 is not retried.
#if NET9_0_OR_GREATER
            await content.LoadIntoBufferAsync(MaxErrorBodyBytes, cancellationToken).ConfigureAwait(false);
#else
            await content.LoadIntoBufferAsync(MaxErrorBodyBytes).ConfigureAwait(false);
#endif
            byte[] body = await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            // The only retried 409: the same key is still being processed.
            return HasErrorCode(body, "idempotency_key_in_use"u8);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // An unreadable body is not a 409 we know to be retryable: the response goes back to the caller.
            return false;
        }
    }

    private static void ReportRetry(OnRetryArguments<HttpResponseMessage> args, int maxRetries, ILogger logger)
    {
        HttpRequestMessage? request = GetRequest(args.Context, args.Outcome.Result);
        string method = MethodOf(request);
        Exception? exception = args.Outcome.Exception;
        int status = args.Outcome.Result is { } response ? (int)response.StatusCode : 0;

        KobbopayTelemetry.Retries.Add(
            1,
            new KeyValuePair<string, object?>("http.request.method", method),
            new KeyValuePair<string, object?>("error.type", exception is null ? StatusText(status) : exception.GetType().FullName));

        if (logger.IsEnabled(LogLevel.Warning))
        {
            int retry = args.AttemptNumber + 1;
            double delayMs = args.RetryDelay.TotalMilliseconds;
            if (exception is null)
            {
                KobbopayResilienceLog.RetryingAfterStatus(logger, method, PathOf(request), status, retry, maxRetries, delayMs);
            }
            else
            {
                KobbopayResilienceLog.RetryingAfterException(logger, method, PathOf(request), exception.GetType().Name, retry, maxRetries, delayMs);
            }
        }
    }

    private static HttpRequestMessage? GetRequest(ResilienceContext context, HttpResponseMessage? response) =>
        context.Properties.TryGetValue(RequestKey, out HttpRequestMessage? request) ? request : response?.RequestMessage;

    private static string MethodOf(HttpRequestMessage? request) => request?.Method.Method ?? "_OTHER";

    // The path only: a query string is not logged.
    private static string PathOf(HttpRequestMessage? request) => request?.RequestUri switch
    {
        null => string.Empty,
        { IsAbsoluteUri: true } uri => uri.AbsolutePath,
        { } uri => uri.OriginalString.Split('?', 2)[0],
    };

    private static string StatusText(int status) => status switch
    {
        408 => "408",
        409 => "409",
        429 => "429",
        500 => "500",
        502 => "502",
        503 => "503",
        504 => "504",
        _ => status.ToString(CultureInfo.InvariantCulture),
    };
}
