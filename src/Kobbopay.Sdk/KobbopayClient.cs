using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Kobbopay.Sdk.Internal;
using Kobbopay.Sdk.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Kobbopay.Sdk;

/// <summary>
/// The Kobbopay payments API. Get one from DI (<c>services.AddKobbopayClient(...)</c>) or
/// <see cref="Create"/>. Thread-safe; keep one per environment. Every call runs through the
/// resilience pipeline (retries, timeouts, circuit breaker) and throws a
/// <see cref="KobbopayException"/> subclass when it cannot succeed.
/// </summary>
/// <remarks>Members are virtual and the parameterless constructor is protected, so the client can be mocked; <see cref="KobbopayModelFactory"/> builds models for such tests.</remarks>
public class KobbopayClient
{
    private const string IdempotencyHeader = "Idempotency-Key";
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json") { CharSet = "utf-8" };

    private readonly HttpClient _http = null!;
    private readonly KobbopayClientOptions _options = null!;
    private readonly TimeProvider _timeProvider = TimeProvider.System;
    private readonly ILogger _logger = NullLogger.Instance;

    /// <summary>Initializes a new instance of the <see cref="KobbopayClient"/> class for mocking.</summary>
    protected KobbopayClient()
    {
    }

    internal KobbopayClient(HttpClient http, KobbopayClientOptions options, ILogger logger, TimeProvider timeProvider)
    {
        _http = http;
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
        string[] problems = [.. options.Validate("Kobbopay")];
        if (problems.Length > 0)
        {
            throw new ArgumentException("Invalid Kobbopay client options: " + string.Join(" ", problems), nameof(options));
        }

        loggerFactory ??= NullLoggerFactory.Instance;
        timeProvider ??= TimeProvider.System;
        HttpMessageHandler handler = KobbopayPipeline.Build(options, primaryHandler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }, loggerFactory, timeProvider);
        HttpClient http = new(handler) { BaseAddress = KobbopayPipeline.NormalizeBaseAddress(options.BaseAddress!), Timeout = Timeout.InfiniteTimeSpan };
        return new KobbopayClient(http, options, loggerFactory.CreateLogger<KobbopayClient>(), timeProvider);
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
    public virtual async Task<Payment> CreatePaymentAsync(CreatePaymentRequest request, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(request);
        ThrowIfMock();
        CheckCreateRequest(request);
        if (idempotencyKey is not null && !KobbopayIdempotencyKey.IsValid(idempotencyKey))
        {
            throw new ArgumentException("The idempotency key must be 1 to 255 printable ASCII characters.", nameof(idempotencyKey));
        }

        byte[] body = JsonSerializer.SerializeToUtf8Bytes(request, KobbopayJsonContext.Default.CreatePaymentRequest);
        return await SendAsync(HttpMethod.Post, "v1/payments", body, idempotencyKey ?? KobbopayIdempotencyKey.NewKey(), KobbopayJsonContext.Default.Payment, cancellationToken).ConfigureAwait(false);
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
        return SendAsync(HttpMethod.Get, "v1/payments/" + Uri.EscapeDataString(paymentId), null, null, KobbopayJsonContext.Default.Payment, cancellationToken);
    }

    /// <summary>Lists payments, newest first, fetching pages as the enumeration needs them.</summary>
    /// <param name="options">Filters, or <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>Every matching payment, one page in memory at a time.</returns>
    public virtual async IAsyncEnumerable<Payment> ListPaymentsAsync(PaymentListOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? cursor = null;
        do
        {
            Page<Payment> page = await GetPaymentsPageAsync(options, cursor, cancellationToken).ConfigureAwait(false);
            foreach (Payment payment in page.Data)
            {
                yield return payment;
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);
    }

    /// <summary>Gets one page of payments, newest first.</summary>
    /// <param name="options">Filters, or <see langword="null"/> for all. Keep them the same while paging.</param>
    /// <param name="cursor">The previous page's <see cref="Page{T}.NextCursor"/>, or <see langword="null"/> for the first page.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    public virtual Task<Page<Payment>> GetPaymentsPageAsync(PaymentListOptions? options = null, string? cursor = null, CancellationToken cancellationToken = default)
    {
        QueryBuilder query = new("v1/payments");
        query.Add("orderId", options?.OrderId);
        query.Add("status", options?.Status?.Value);
        query.Add("createdFrom", options?.CreatedFrom);
        query.Add("createdTo", options?.CreatedTo);
        query.Add("limit", CheckPageSize(options?.PageSize));
        query.Add("cursor", cursor);
        return SendAsync(HttpMethod.Get, query.ToString(), null, null, KobbopayJsonContext.Default.PagePayment, cancellationToken);
    }

    /// <summary>Exports events, oldest first, fetching pages as the enumeration needs them.</summary>
    /// <param name="options">Filters, or <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>Every matching event, one page in memory at a time.</returns>
    public virtual async IAsyncEnumerable<PaymentEvent> ListEventsAsync(EventListOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? cursor = null;
        do
        {
            Page<PaymentEvent> page = await GetEventsPageAsync(options, cursor, cancellationToken).ConfigureAwait(false);
            foreach (PaymentEvent e in page.Data)
            {
                yield return e;
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
        QueryBuilder query = new("v1/events");
        query.Add("type", options?.Type?.Value);
        query.Add("createdFrom", options?.CreatedFrom);
        query.Add("limit", CheckPageSize(options?.PageSize));
        query.Add("cursor", cursor);
        return SendAsync(HttpMethod.Get, query.ToString(), null, null, KobbopayJsonContext.Default.PagePaymentEvent, cancellationToken);
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
            KobbopayRail? rail = _options.EnabledRails.FirstOrDefault(r =>
                string.Equals(r.Network, request.Network, StringComparison.OrdinalIgnoreCase)
                && string.Equals(r.Currency, request.Currency, StringComparison.OrdinalIgnoreCase));
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

    private void ThrowIfMock()
    {
        if (_http is null)
        {
            throw new InvalidOperationException("This KobbopayClient was made with the protected constructor, for mocking; override the members you call, or get a real client from DI or KobbopayClient.Create.");
        }
    }

    private static int? CheckPageSize(int? size) =>
        size is null or (>= 1 and <= 100) ? size : throw new ArgumentOutOfRangeException(nameof(size), size, "PageSize must be from 1 to 100.");

    private async Task<T> SendAsync<T>(HttpMethod method, string path, byte[]? body, string? idempotencyKey, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        ThrowIfMock();
        using HttpRequestMessage request = new(method, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = JsonContentType;
        }

        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation(IdempotencyHeader, idempotencyKey);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (TimeoutRejectedException ex)
        {
            throw new KobbopayTimeoutException($"Kobbopay {method} {StripQuery(path)} timed out after {ex.Timeout}, retries included.", ex);
        }
        catch (BrokenCircuitException ex)
        {
            throw new KobbopayCircuitOpenException($"Kobbopay {method} {StripQuery(path)} was not sent: the circuit breaker is open after repeated failures.", ex.RetryAfter, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new KobbopayNetworkException($"Kobbopay {method} {StripQuery(path)} failed: {ex.Message}", ex);
        }
        catch (OperationCanceledException ex)
        {
            throw new KobbopayTimeoutException($"Kobbopay {method} {StripQuery(path)} timed out.", ex);
        }

        using (response)
        {
            try
            {
                if (response.IsSuccessStatusCode)
                {
                    // Deserialized straight from the connection: no body-sized buffers on the hot path.
                    Stream answer = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                    await using (answer.ConfigureAwait(false))
                    {
                        return await JsonSerializer.DeserializeAsync(answer, typeInfo, cancellationToken).ConfigureAwait(false)
                            ?? throw new JsonException("The answer was JSON null.");
                    }
                }

                byte[] content = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                throw ToException(response, content);
            }
            catch (JsonException ex)
            {
                throw new KobbopayException($"Kobbopay {method} {StripQuery(path)} answered {(int)response.StatusCode} with a body this SDK cannot read: {ex.Message}", ex);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
            {
                throw new KobbopayNetworkException($"Kobbopay {method} {StripQuery(path)} failed while reading the answer: {ex.Message}", ex);
            }
        }
    }

    private KobbopayApiException ToException(HttpResponseMessage response, byte[] content)
    {
        KobbopayError? error = null;
        try
        {
            error = JsonSerializer.Deserialize(content, KobbopayJsonContext.Default.KobbopayErrorResponse)?.Error;
        }
        catch (JsonException)
        {
            // Not the contract's error body (a proxy's page, say): keep the status and a short excerpt.
        }

        int status = (int)response.StatusCode;
        string code = error?.Code ?? "unknown";
        string message = error?.Message ?? (content.Length == 0 ? response.ReasonPhrase ?? "no body" : Excerpt(content));
        string? requestId = error?.RequestId ?? (response.Headers.TryGetValues("x-request-id", out var ids) ? ids.FirstOrDefault() : null);
        if (status == 429)
        {
            TimeSpan? retryAfter = response.Headers.RetryAfter switch
            {
                { Delta: { } delta } => delta,
                { Date: { } date } => date - _timeProvider.GetUtcNow() is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero,
                _ => null,
            };
            return new KobbopayRateLimitException(code, message, requestId, retryAfter);
        }

        return new KobbopayApiException(status, code, message, error?.Param, requestId);
    }

    private static string Excerpt(byte[] content)
    {
        string text = Encoding.UTF8.GetString(content, 0, Math.Min(content.Length, 200));
        return new string([.. text.Where(c => !char.IsControl(c))]);
    }

    private static string StripQuery(string path) => path.IndexOf('?', StringComparison.Ordinal) is var i and >= 0 ? path[..i] : path;
}
