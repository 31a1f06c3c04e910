using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Kobbopay.Contracts;
using Kobbopay.Sdk.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Refit;

namespace Kobbopay.Sdk;

/// <summary>
/// The Kobbopay payments API. Get one from DI (<c>services.AddKobbopayClient(...)</c>) or
/// <see cref="Create"/>. Thread-safe; keep one per environment. Every call runs through the
/// resilience pipeline (retries, timeouts, circuit breaker) and throws a
/// <see cref="KobbopayException"/> subclass when it cannot succeed: no Refit, Polly or JSON exception reaches you.
/// </summary>
/// <remarks>
/// Under the hood: a Refit interface generated at build time (System.Text.Json source generation) over an
/// <see cref="HttpClient"/> whose handlers are, outermost first, the SDK's telemetry, the resilience handler of
/// Microsoft.Extensions.Http.Resilience (total timeout, retry, circuit breaker, attempt timeout) and the API key.
/// </remarks>
/// <remarks>Members are virtual and the parameterless constructor is protected, so the client can be mocked; <see cref="KobbopayModelFactory"/> builds models for such tests.</remarks>
public class KobbopayClient : IKobbopayPaymentReader
{
    private readonly IKobbopayApi _api = null!;
    private readonly KobbopayClientOptions _options = null!;
    private readonly TimeProvider _timeProvider = TimeProvider.System;
    private readonly ILogger _logger = NullLogger.Instance;

    // The private service provider of a client made by Create: it owns the handler chain.
    private readonly IDisposable? _owner;

    /// <summary>Initializes a new instance of the <see cref="KobbopayClient"/> class for mocking.</summary>
    protected KobbopayClient()
    {
    }

    internal KobbopayClient(IKobbopayApi api, KobbopayClientOptions options, ILogger logger, TimeProvider timeProvider, IDisposable? owner = null)
    {
        _api = api;
        _owner = owner;
        _options = options;
        _logger = logger;
        _timeProvider = timeProvider;
    }

    /// <summary>Creates a client without dependency injection, with the full handler pipeline.</summary>
    /// <param name="options">The settings; validated here.</param>
    /// <param name="primaryHandler">The innermost handler; <see langword="null"/> for a <see cref="SocketsHttpHandler"/> with pooled connections.</param>
    /// <param name="loggerFactory">Where to log; <see langword="null"/> for nowhere.</param>
    /// <param name="timeProvider">The clock for delays and timeouts; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <returns>A client. It owns its handlers: keep it for the life of the application.</returns>
    /// <exception cref="ArgumentException">A setting is invalid; the message names every bad setting.</exception>
    public static KobbopayClient Create(KobbopayClientOptions options, HttpMessageHandler? primaryHandler = null, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        Guard.NotNull(options);
        ValidateOptionsResult validation = KobbopayClientOptionsCustomValidator.Validate(options, "Kobbopay");
        if (validation.Failed)
        {
            throw new ArgumentException("Invalid Kobbopay client options: " + string.Join(" ", validation.Failures), nameof(options));
        }

        // The same registration as AddKobbopayClient, in a private container: one pipeline, built one way.
        ServiceCollection services = new();
        services.AddSingleton(loggerFactory ?? NullLoggerFactory.Instance);
        services.AddSingleton(timeProvider ?? TimeProvider.System);
        HttpMessageHandler primary = primaryHandler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        services.AddKobbopayClient(options.CopyTo)
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan) // one handler chain for the client's life: the primary handler is never disposed behind its back
            .ConfigurePrimaryHttpMessageHandler(() => primary);

        ServiceProvider provider = services.BuildServiceProvider();
        return ((KobbopayServiceCollectionExtensions.KobbopayClientFactory)provider.GetRequiredService<IKobbopayClientFactory>())
            .CreateClient(KobbopayServiceCollectionExtensions.DefaultName, provider);
    }

    /// <summary>Creates a payment. Every create carries an <c>Idempotency-Key</c>, so a retried call never creates a second payment.</summary>
    /// <param name="request">What to create.</param>
    /// <param name="idempotencyKey">Your key (see <see cref="KobbopayIdempotencyKey.FromOrderId"/> to make a checkout retry safe end to end), or <see langword="null"/> for one generated for this call and reused by its retries.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The created payment (or, on a replay, the one created first with this key).</returns>
    /// <exception cref="ArgumentException">A request field is invalid; the message names it.</exception>
    /// <exception cref="KobbopayUnsupportedRailException">The rail is not in <see cref="KobbopayClientOptions.EnabledRails"/>, or the amount has more decimals than the rail allows; nothing was sent.</exception>
    /// <exception cref="KobbopayApiException">The gateway refused the request.</exception>
    /// <exception cref="KobbopayNetworkException">The gateway could not be reached, retries included.</exception>
    /// <exception cref="KobbopayTimeoutException">The call outlived its total timeout.</exception>
    /// <exception cref="KobbopayCircuitOpenException">The circuit breaker is open.</exception>
    public virtual Task<Payment> CreatePaymentAsync(CreatePaymentRequest request, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        // Not async: the call's one state machine is CallAsync's. A bad argument still comes back in the task, as from
        // an async method.
        try
        {
            Guard.NotNull(request);
            ThrowIfMock();
            CheckCreateRequest(request);
            if (idempotencyKey is not null && !KobbopayIdempotencyKey.IsValid(idempotencyKey))
            {
                throw new ArgumentException("The idempotency key must be 1 to 255 printable ASCII characters.", nameof(idempotencyKey));
            }
        }
        catch (Exception ex)
        {
            return Task.FromException<Payment>(ex);
        }

        return CallAsync(
            "POST",
            "v1/payments",
            pathId: null,
            (Request: request, Key: idempotencyKey ?? KobbopayIdempotencyKey.NewKey()),
            static (api, state, ct) => api.CreatePaymentAsync(state.Request, state.Key, ct),
            cancellationToken);
    }

    /// <summary>Gets a payment's authoritative status.</summary>
    /// <param name="paymentId">The payment id (<c>pay_…</c>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The payment.</returns>
    /// <exception cref="KobbopayApiException">The gateway refused the request; <c>payment_not_found</c> when no payment has the id.</exception>
    /// <exception cref="KobbopayNetworkException">The gateway could not be reached, retries included.</exception>
    /// <exception cref="KobbopayTimeoutException">The call outlived its total timeout.</exception>
    public virtual Task<Payment> GetPaymentAsync(string paymentId, CancellationToken cancellationToken = default)
    {
        Guard.NotNullOrEmpty(paymentId);
        return CallAsync("GET", "v1/payments", paymentId, paymentId, static (api, id, ct) => api.GetPaymentAsync(id, ct), cancellationToken);
    }

    /// <summary>Lists payments, newest first, fetching pages as the enumeration needs them.</summary>
    /// <param name="options">Filters, or <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>Every matching payment, one page in memory at a time.</returns>
    public virtual async IAsyncEnumerable<Payment> ListPaymentsAsync(PaymentListOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (Payment payment in EnumeratePagesAsync((cursor, ct) => GetPaymentsPageAsync(options, cursor, ct), cancellationToken).ConfigureAwait(false))
        {
            yield return payment;
        }
    }

    /// <summary>Gets one page of payments, newest first.</summary>
    /// <param name="options">Filters, or <see langword="null"/> for all. Keep them the same while paging.</param>
    /// <param name="cursor">The previous page's <see cref="Page{T}.NextCursor"/>, or <see langword="null"/> for the first page.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    public virtual Task<Page<Payment>> GetPaymentsPageAsync(PaymentListOptions? options = null, string? cursor = null, CancellationToken cancellationToken = default)
    {
        int? limit = CheckPageSize(options?.PageSize);
        return CallAsync(
            "GET",
            "v1/payments",
            pathId: null,
            (Options: options, Limit: limit, Cursor: cursor),
            static (api, s, ct) => api.ListPaymentsAsync(s.Options?.OrderId, s.Options?.Status?.Value, FormatTime(s.Options?.CreatedFrom), FormatTime(s.Options?.CreatedTo), s.Limit, s.Cursor, ct),
            cancellationToken);
    }

    /// <summary>Exports events, oldest first, fetching pages as the enumeration needs them.</summary>
    /// <param name="options">Filters, or <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>Every matching event, one page in memory at a time.</returns>
    public virtual async IAsyncEnumerable<PaymentEvent> ListEventsAsync(EventListOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (PaymentEvent e in EnumeratePagesAsync((cursor, ct) => GetEventsPageAsync(options, cursor, ct), cancellationToken).ConfigureAwait(false))
        {
            yield return e;
        }
    }

    /// <summary>Follows <see cref="Page{T}.NextCursor"/> from the first page to the last, one page in memory at a time.</summary>
    private static async IAsyncEnumerable<T> EnumeratePagesAsync<T>(
        Func<string?, CancellationToken, Task<Page<T>>> getPageAsync, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? cursor = null;
        do
        {
            Page<T> page = await getPageAsync(cursor, cancellationToken).ConfigureAwait(false);
            foreach (T item in page.Data)
            {
                yield return item;
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);
    }

    /// <summary>Gets one page of the event export, oldest first.</summary>
    /// <param name="options">Filters, or <see langword="null"/> for all. Keep them the same while paging.</param>
    /// <param name="cursor">The previous page's <see cref="Page{T}.NextCursor"/>, or <see langword="null"/> for the first page.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    public virtual Task<Page<PaymentEvent>> GetEventsPageAsync(EventListOptions? options = null, string? cursor = null, CancellationToken cancellationToken = default)
    {
        int? limit = CheckPageSize(options?.PageSize);
        return CallAsync(
            "GET",
            "v1/events",
            pathId: null,
            (Options: options, Limit: limit, Cursor: cursor),
            static (api, s, ct) => api.ListEventsAsync(s.Options?.Type?.Value, FormatTime(s.Options?.CreatedFrom), s.Limit, s.Cursor, ct),
            cancellationToken);
    }

    /// <summary>
    /// Polls a payment, with growing delays, until its status ranks at or beyond <paramref name="until"/>
    /// (by <see cref="KobbopayClientOptions.StatusRanks"/>) or is terminal: "wait until confirmed" without webhooks.
    /// </summary>
    /// <param name="paymentId">The payment id.</param>
    /// <param name="until">The status to wait for; it must be ranked in <see cref="KobbopayClientOptions.StatusRanks"/>.</param>
    /// <param name="options">Poll intervals and an overall timeout; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The payment as last read: at or beyond <paramref name="until"/>, or terminal (check <see cref="Payment.Status"/>: an expired payment ends the wait too).</returns>
    /// <exception cref="ArgumentException"><paramref name="until"/> has no rank, or an interval is not positive.</exception>
    /// <exception cref="KobbopayTimeoutException">The payment did not get there within <see cref="PaymentWaitOptions.Timeout"/>.</exception>
    public virtual async Task<Payment> WaitForPaymentAsync(string paymentId, PaymentStatus until, PaymentWaitOptions? options = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNullOrEmpty(paymentId);
        ThrowIfMock();
        options ??= new PaymentWaitOptions();
        if (!_options.StatusRanks.TryGetValue(until.Value, out int target))
        {
            throw new ArgumentException($"Status '{until}' has no rank in Kobbopay:StatusRanks; rank it there to wait for it.", nameof(until));
        }

        if (options.InitialPollInterval <= TimeSpan.Zero || options.MaxPollInterval < options.InitialPollInterval)
        {
            throw new ArgumentException("InitialPollInterval must be positive and no longer than MaxPollInterval.", nameof(options));
        }

        using CancellationTokenSource? timeout = options.Timeout is { } t ? new CancellationTokenSource(t, _timeProvider) : null;
        using CancellationTokenSource? linked = timeout is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        CancellationToken token = linked?.Token ?? cancellationToken;
        TimeSpan delay = options.InitialPollInterval;
        Payment? last = null;
        try
        {
            while (true)
            {
                last = await GetPaymentAsync(paymentId, token).ConfigureAwait(false);
                string status = last.Status.Value;
                if (_options.TerminalStatuses.Contains(status) || (_options.StatusRanks.TryGetValue(status, out int rank) && rank >= target))
                {
                    return last;
                }

                await Task.Delay(delay, _timeProvider, token).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.MaxPollInterval.Ticks));
            }
        }
        catch (OperationCanceledException ex) when (timeout?.IsCancellationRequested == true && !cancellationToken.IsCancellationRequested)
        {
            throw new KobbopayTimeoutException($"Payment {paymentId} did not reach {until} within {options.Timeout}; its last status was {last?.Status.Value ?? "unknown"}.", ex);
        }
    }

    private void CheckCreateRequest(CreatePaymentRequest request)
    {
        if (request.Amount <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.Amount, "CreatePaymentRequest.Amount must be greater than zero.");
        }

        if (string.IsNullOrWhiteSpace(request.Currency) || string.IsNullOrWhiteSpace(request.Network))
        {
            throw new ArgumentException("CreatePaymentRequest.Currency and CreatePaymentRequest.Network are required.", nameof(request));
        }

        if (string.IsNullOrWhiteSpace(request.OrderId) || request.OrderId.Length > 128)
        {
            throw new ArgumentException("CreatePaymentRequest.OrderId is required and at most 128 characters.", nameof(request));
        }

        if (request.ExpiresIn is { } window)
        {
            if (window.Ticks % TimeSpan.TicksPerSecond != 0 || window < TimeSpan.FromSeconds(60) || window > TimeSpan.FromDays(7))
            {
                throw new ArgumentOutOfRangeException(nameof(request), window, "CreatePaymentRequest.ExpiresIn must be whole seconds from 60 seconds to 7 days.");
            }
        }

        if (_options.EnabledRails.Count > 0)
        {
            KobbopayRail? rail = FindRail(_options.EnabledRails, request.Network, request.Currency);
            if (rail is null)
            {
                throw new KobbopayUnsupportedRailException(request.Network, request.Currency, $"{request.Currency} on {request.Network} is not among Kobbopay:EnabledRails; nothing was sent.");
            }

            int scale = (request.Amount / 1.0000000000000000000000000000m).Scale;
            if (rail.Decimals is { } decimals && scale > decimals)
            {
                throw new KobbopayUnsupportedRailException(request.Network, request.Currency, $"{rail.Currency} on {rail.Network} has {decimals} decimals; the amount {request.Amount.ToString(CultureInfo.InvariantCulture)} has {scale}. Nothing was sent.");
            }
        }
    }

    // A loop, not FirstOrDefault with a lambda: the lambda's capture of the request was allocated on every create.
    private static KobbopayRail? FindRail(IList<KobbopayRail> rails, string network, string currency)
    {
        foreach (KobbopayRail rail in rails)
        {
            if (string.Equals(rail.Network, network, StringComparison.OrdinalIgnoreCase) && string.Equals(rail.Currency, currency, StringComparison.OrdinalIgnoreCase))
            {
                return rail;
            }
        }

        return null;
    }

    private void ThrowIfMock()
    {
        if (_api is null)
        {
            throw new InvalidOperationException("This KobbopayClient was made with the protected constructor, for mocking; override the members you call, or get a real client from DI or KobbopayClient.Create.");
        }
    }

    private static int? CheckPageSize(int? size) =>
        size is null or (>= 1 and <= 100) ? size : throw new ArgumentOutOfRangeException(nameof(size), size, "PageSize must be from 1 to 100.");

    private static string? FormatTime(DateTimeOffset? value) =>
        value?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>Runs one Refit call and turns every way it can fail into one of the SDK's exceptions.</summary>
    /// <remarks>The path (<paramref name="path"/>, then <paramref name="pathId"/> when there is one) is only put together for an exception's message.</remarks>
    private async Task<T> CallAsync<T, TState>(string method, string path, string? pathId, TState state, Func<IKobbopayApi, TState, CancellationToken, Task<IApiResponse<T>>> call, CancellationToken cancellationToken)
        where T : class
    {
        ThrowIfMock();
        IApiResponse<T> response;
        try
        {
            response = await call(_api, state, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (ApiRequestException ex)
        {
            throw Unsent(method, Join(path, pathId), ex.InnerException ?? ex, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or TimeoutRejectedException or BrokenCircuitException)
        {
            throw Unsent(method, Join(path, pathId), ex, cancellationToken);
        }

        using (response)
        {
            if (response.HasRequestError(out ApiRequestException? requestError))
            {
                throw Unsent(method, Join(path, pathId), requestError.InnerException ?? requestError, cancellationToken);
            }

            if (!response.IsSuccessStatusCode)
            {
                throw ToException(response);
            }

            if (response.Error is null && response.Content is { } content)
            {
                return content;
            }

            Exception? cause = response.Error?.InnerException ?? response.Error;
            if (cause is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("The call was cancelled while its answer was read.", cause, cancellationToken);
            }

            string where = $"Kobbopay {method} {Join(path, pathId)} answered {(int)(response.StatusCode ?? 0)}{RequestIdText(response)}";
            if (cause is HttpRequestException or IOException)
            {
                throw new KobbopayNetworkException($"{where}, but the connection failed while the answer was read: {cause.Message}", cause);
            }

            string reason = cause is null ? "the body was empty or JSON null" : cause.Message;
            throw new KobbopayException($"{where} with a body this SDK cannot read ({response.ContentHeaders?.ContentType?.MediaType ?? "no content type"}): {reason}", cause);
        }
    }

    private static string Join(string path, string? pathId) => pathId is null ? path : path + "/" + pathId;

    /// <summary>Maps a failure before any answer (network, timeouts, the open circuit) to the SDK's exception.</summary>
    private static Exception Unsent(string method, string path, Exception ex, CancellationToken cancellationToken) => ex switch
    {
        KobbopayException ours => ours,
        OperationCanceledException when cancellationToken.IsCancellationRequested => ex,
        TimeoutRejectedException timeout => new KobbopayTimeoutException($"Kobbopay {method} {path} timed out after {timeout.Timeout}, retries included.", timeout),
        BrokenCircuitException open => new KobbopayCircuitOpenException($"Kobbopay {method} {path} was not sent: the circuit breaker is open after repeated failures.", open.RetryAfter, open),
        HttpRequestException or IOException => new KobbopayNetworkException($"Kobbopay {method} {path} failed: {ex.Message}", ex),
        OperationCanceledException => new KobbopayTimeoutException($"Kobbopay {method} {path} timed out.", ex),
        _ => new KobbopayException($"Kobbopay {method} {path} failed: {ex.GetType().Name}: {ex.Message}", ex),
    };

    private KobbopayApiException ToException(IApiResponse response)
    {
        string? content = (response.Error as ApiException)?.Content;
        KobbopayError? error = null;
        if (!string.IsNullOrEmpty(content))
        {
            try
            {
                error = JsonSerializer.Deserialize(content, KobbopayJsonContext.Default.KobbopayErrorResponse)?.Error;
            }
            catch (JsonException)
            {
                // Not the contract's error body (a proxy's page, say): keep the status and a short excerpt.
            }
        }

        int status = (int)(response.StatusCode ?? 0);
        string code = error?.Code ?? "unknown";
        string message = error?.Message ?? (string.IsNullOrEmpty(content) ? response.ReasonPhrase ?? "no body" : Excerpt(content));
        string? requestId = error?.RequestId ?? RequestId(response);
        if (status == 429)
        {
            TimeSpan? retryAfter = KobbopayRetryAfter.TryGetDelay(response.Headers?.RetryAfter, _timeProvider, out TimeSpan delay) ? delay : null;
            return new KobbopayRateLimitException(code, message, requestId, retryAfter);
        }

        return new KobbopayApiException(status, code, message, error?.Param, requestId);
    }

    private static string? RequestId(IApiResponse response) =>
        response.Headers is { } headers && headers.TryGetValues(KobbopayHeaders.RequestId, out IEnumerable<string>? ids) ? ids.FirstOrDefault() : null;

    private static string RequestIdText(IApiResponse response) => RequestId(response) is { } id ? $" (request {id})" : string.Empty;

    private static string Excerpt(string content)
    {
        ReadOnlySpan<char> text = content.AsSpan(0, Math.Min(content.Length, 200));
        return string.Create(text.Length, content, static (span, source) =>
        {
            for (int i = 0; i < span.Length; i++)
            {
                char c = source[i];
                span[i] = char.IsControl(c) ? ' ' : c;
            }
        }).Trim();
    }
}
