using System.Globalization;
using System.Net;
using System.Text.Json;
using Kobbopay.Contracts;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Kobbopay.Sdk.Resilience;

/// <summary>
/// Configures the client's pipeline on Microsoft.Extensions.Http.Resilience, outermost first: total timeout, retry,
/// circuit breaker, attempt timeout (the order of the library's standard pipeline), tuned for payments.
/// </summary>
/// <remarks>
/// Retried: 408, 409 with error code <c>idempotency_key_in_use</c>, 429, 5xx, <see cref="HttpRequestException"/> and an
/// attempt's <see cref="TimeoutRejectedException"/>; a request whose method is not idempotent (<c>POST</c>, <c>PATCH</c>)
/// only when it carries an <c>Idempotency-Key</c> header (the library's <c>DisableForUnsafeHttpMethods</c> would block
/// every POST: dotnet/extensions#6548). A <c>Retry-After</c> replaces the computed delay, read on the pipeline's
/// <see cref="TimeProvider"/>; one longer than <see cref="KobbopayResilienceOptions.MaxRetryAfter"/>, or longer than the
/// time left in the call's total timeout, stops the retries and the response is returned at once. The circuit breaker
/// counts 408, 5xx, network failures and attempt timeouts (not 409 nor 429: those say the service is healthy and busy).
/// </remarks>
internal static class KobbopayResiliencePipeline
{
    /// <summary>The name of the client's resilience handler; Polly's telemetry (meter <c>Polly</c>) carries it.</summary>
    public const string HandlerName = "kobbopay";

    /// <summary>The request option stamped by the outermost handler with the call's start (a <see cref="TimeProvider"/> timestamp).</summary>
    public static readonly HttpRequestOptionsKey<long> CallStartedKey = new("Kobbopay.Sdk.CallStarted");

    // A 409 error body is a few hundred bytes; a larger one is not ours and is not inspected.
    private const int MaxErrorBodyBytes = 64 * 1024;

    /// <summary>Builds a pipeline from <paramref name="options"/> alone (no DI), for the library's <see cref="ResilienceHandler"/>.</summary>
    /// <param name="options">The settings; validated first.</param>
    /// <param name="timeProvider">The clock of every delay and timeout.</param>
    /// <param name="logger">Where retries, timeouts and circuit changes are logged.</param>
    /// <returns>A pipeline meant to be shared by every call of one client (the circuit breaker's state lives in it).</returns>
    /// <exception cref="ArgumentException"><paramref name="options"/> has a bad setting; the message names each one.</exception>
    public static ResiliencePipeline<HttpResponseMessage> Create(KobbopayResilienceOptions options, TimeProvider timeProvider, ILogger logger)
    {
        ResiliencePipelineBuilder<HttpResponseMessage> builder = new() { Name = HandlerName, TimeProvider = timeProvider };
        Configure(builder, options, timeProvider, logger);
        return builder.Build();
    }

    /// <summary>Adds the four strategies to <paramref name="builder"/>; later changes to the options do not affect them.</summary>
    /// <param name="builder">The builder (from <c>AddResilienceHandler</c>, or a bare one).</param>
    /// <param name="options">The settings; validated first.</param>
    /// <param name="timeProvider">The clock a <c>Retry-After</c> date and the call's remaining time are measured on.</param>
    /// <param name="logger">Where retries, timeouts and circuit changes are logged.</param>
    /// <exception cref="ArgumentException"><paramref name="options"/> has a bad setting; the message names each one.</exception>
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, KobbopayResilienceOptions options, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);

        ValidateOptionsResult validation = KobbopayResilienceOptionsCustomValidator.Validate(options, "Resilience");
        if (validation.Failed)
        {
            throw new ArgumentException(string.Join(" ", validation.Failures), nameof(options));
        }

        if (options.EnableCircuitBreaker)
        {
            // Inline, in front of whatever listener the builder already has (Polly's telemetry, from DI).
            builder.TelemetryListener = new KobbopayCircuitBreakerLogger(logger, builder.TelemetryListener);
        }

        RetryRules rules = new(options.MaxRetryAfter, options.TotalRequestTimeout, timeProvider, logger);
        int maxRetries = options.MaxRetryAttempts;

        builder.AddTimeout(LoggedTimeout("TotalRequestTimeout", options.TotalRequestTimeout, logger, KobbopayResilienceLog.TotalTimeoutReached));

        // Polly's retry needs at least one attempt; zero retries means no retry strategy at all.
        if (maxRetries > 0)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                Name = "Retry",
                MaxRetryAttempts = maxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = options.UseJitter,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.MaxRetryDelay,

                // The library would read Retry-After on the machine's clock and uncapped; ours reads it on the TimeProvider.
                ShouldRetryAfterHeader = false,
                ShouldHandle = rules.ShouldRetryAsync,
                DelayGenerator = args => new ValueTask<TimeSpan?>(
                    args.Outcome.Result is { } response && KobbopayRetryAfter.TryGetDelay(response.Headers.RetryAfter, timeProvider, out TimeSpan delay) ? delay : null),
                OnRetry = args =>
                {
                    ReportRetry(args, maxRetries, logger);
                    return default;
                },
            });
        }

        if (options.EnableCircuitBreaker)
        {
            builder.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                Name = "CircuitBreaker",
                FailureRatio = options.CircuitBreakerFailureRatio,
                MinimumThroughput = options.CircuitBreakerMinimumThroughput,
                SamplingDuration = options.CircuitBreakerSamplingDuration,
                BreakDuration = options.CircuitBreakerBreakDuration,
                ShouldHandle = args => new ValueTask<bool>(IsBreakerFailure(args.Outcome)),
            });
        }

        builder.AddTimeout(LoggedTimeout("AttemptTimeout", options.AttemptTimeout, logger, KobbopayResilienceLog.AttemptTimedOut));
    }

    /// <summary>A timeout strategy that logs (at warning) the request it cut short.</summary>
    private static HttpTimeoutStrategyOptions LoggedTimeout(
        string name, TimeSpan timeout, ILogger logger, Action<ILogger, string, string, TimeSpan> log) => new()
    {
        Name = name,
        Timeout = timeout,
        OnTimeout = args =>
        {
            if (logger.IsEnabled(LogLevel.Warning))
            {
                HttpRequestMessage? request = args.Context.GetRequestMessage();
                log(logger, MethodOf(request), PathOf(request), args.Timeout);
            }

            return default;
        },
    };

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
            || request.Headers.Contains(KobbopayHeaders.IdempotencyKey);
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
        HttpRequestMessage? request = args.Context.GetRequestMessage();
        string method = MethodOf(request);
        Exception? exception = args.Outcome.Exception;
        int status = args.Outcome.Result is { } response ? (int)response.StatusCode : 0;

        KobbopayTelemetry.Retries.Add(
            1,
            new KeyValuePair<string, object?>("http.request.method", method),
            new KeyValuePair<string, object?>("error.type", exception is null ? status.ToString(CultureInfo.InvariantCulture) : exception.GetType().FullName));

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

    private static string MethodOf(HttpRequestMessage? request) => request?.Method.Method ?? "_OTHER";

    // The path only: a query string is not logged.
    private static string PathOf(HttpRequestMessage? request) => request?.RequestUri switch
    {
        null => string.Empty,
        { IsAbsoluteUri: true } uri => uri.AbsolutePath,
        { } uri => uri.OriginalString.Split('?', 2)[0],
    };

    /// <summary>The retry predicate: what is retried, and when a server's <c>Retry-After</c> asks too much.</summary>
    private sealed class RetryRules(TimeSpan maxRetryAfter, TimeSpan totalTimeout, TimeProvider timeProvider, ILogger logger)
    {
        public ValueTask<bool> ShouldRetryAsync(RetryPredicateArguments<HttpResponseMessage> args)
        {
            Outcome<HttpResponseMessage> outcome = args.Outcome;
            if (outcome.Exception is { } exception)
            {
                // Not OperationCanceledException (the caller or the total timeout), nor BrokenCircuitException.
                return new(exception is HttpRequestException or TimeoutRejectedException && IsRetryable(args.Context.GetRequestMessage()));
            }

            if (outcome.Result is not { } response)
            {
                return new(false);
            }

            // Every successful answer passes here: decide on the status before looking anything else up.
            int status = (int)response.StatusCode;
            bool conflict = response.StatusCode == HttpStatusCode.Conflict;
            if (!conflict && !IsTransientStatus(status))
            {
                return new(false);
            }

            HttpRequestMessage? request = args.Context.GetRequestMessage() ?? response.RequestMessage;
            if (!IsRetryable(request))
            {
                return new(false);
            }

            if (KobbopayRetryAfter.TryGetDelay(response.Headers.RetryAfter, timeProvider, out TimeSpan retryAfter) && !CanWait(request, retryAfter, status))
            {
                return new(false);
            }

            return conflict ? IsIdempotencyKeyInUseAsync(response, args.Context.CancellationToken) : new(true);
        }

        /// <summary>Tells whether the call may wait <paramref name="retryAfter"/>: within the cap and within the time its total timeout has left.</summary>
        private bool CanWait(HttpRequestMessage? request, TimeSpan retryAfter, int status)
        {
            TimeSpan limit = maxRetryAfter;
            if (request is not null && request.Options.TryGetValue(CallStartedKey, out long started))
            {
                TimeSpan left = totalTimeout - timeProvider.GetElapsedTime(started);
                limit = left < limit ? left : limit;
            }

            if (retryAfter <= limit)
            {
                return true;
            }

            if (logger.IsEnabled(LogLevel.Information))
            {
                KobbopayResilienceLog.RetryAfterTooLong(logger, MethodOf(request), PathOf(request), status, retryAfter, limit);
            }

            return false;
        }
    }
}
