using System.Buffers;
using System.IO.Pipelines;
using Kobbopay.AspNetCore.Queue;
using Kobbopay.Sdk;
using Kobbopay.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MediaType = Microsoft.Net.Http.Headers.MediaTypeHeaderValue;
using Kobbopay.Contracts;
using Kobbopay.Shared.Options;

namespace Kobbopay.AspNetCore.Internal;

/// <summary>
/// The one webhook pipeline behind <c>MapKobbopayWebhooks</c> and the verification shapes for the merchant's own
/// endpoints (<c>RequireKobbopaySignature</c>, <c>[KobbopayWebhook]</c>, <c>UseKobbopayWebhookVerification</c>):
/// content type, size cap, one read of the raw body from the request pipe, then <see cref="WebhookProcessor"/>
/// (verify, parse, dedupe, lease, the caller's code, record) and the status code the gateway acts on. Bodies answered
/// are a tiny fixed JSON; nothing from the request is echoed.
/// </summary>
/// <remarks>
/// The processor counts and logs what it decides (meter <c>Kobbopay.Webhooks</c>, event ids 300+); this class adds the
/// deliveries refused before it (415, 413, aborted) to the same <c>kobbopay.webhooks.deliveries</c> counter, and logs
/// (event ids 200+) the delivery id, handler names and the answer.
/// </remarks>
internal sealed class KobbopayWebhookEndpoint
{
    /// <summary>The name of the logging category.</summary>
    public const string LogCategory = "Kobbopay.AspNetCore.Webhooks";

    private const string DeliveryIdHeader = KobbopayHeaders.DeliveryId;
    private const int MaxLoggedHeaderLength = 100;
    private const int InitialBufferBytes = 4096;

    private readonly WebhookProcessor _processor;
    private readonly KobbopayWebhookHandlerRegistration[] _handlers;
    private readonly IServiceScopeFactory _scopes;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly WebhookFailureWindow? _failures;
    private readonly IKobbopayPaymentReader? _payments;
    private readonly long _maxBodyBytes;
    private readonly IWebhookInbox? _inbox;
    private readonly KobbopayWebhookInboxSignal? _signal;

    /// <summary>The message when a shape is used without <c>AddKobbopayWebhooks</c>.</summary>
    internal const string NotRegistered = "The Kobbopay webhook services are not registered: call builder.Services.AddKobbopayWebhooks(builder.Configuration.GetSection(\"Kobbopay:Webhooks\")) first.";
    private readonly ReloadingOptions<KobbopayWebhookOptions, KobbopayWebhookSettings> _settings;

    public KobbopayWebhookEndpoint(
        IServiceProvider services,
        IOptions<KobbopayWebhookOptions> options,
        KobbopayWebhooksRegistration registration,
        IEnumerable<KobbopayWebhookHandlerRegistration> handlers,
        IWebhookEventStore store,
        IServiceScopeFactory scopes,
        ILoggerFactory loggerFactory)
    {
        KobbopayWebhookOptions o = options.Value;
        _time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        _failures = services.GetService<WebhookFailureWindow>(); // registered by AddKobbopayHealthChecks
        _handlers = [.. handlers];
        _scopes = scopes;
        _logger = loggerFactory.CreateLogger(LogCategory);
        _maxBodyBytes = o.MaxBodyBytes;
        _payments = o.FetchPaymentBeforeHandling
            ? services.GetService<IKobbopayPaymentReader>() ?? throw new InvalidOperationException(
                $"{KobbopayWebhooksServiceCollectionExtensions.DefaultSection}:{nameof(o.FetchPaymentBeforeHandling)} is on, but no IKobbopayPaymentReader is registered to read the payment with: call builder.Services.AddKobbopayClient(...).")
            : null;

        _settings = services.GetRequiredService<ReloadingOptions<KobbopayWebhookOptions, KobbopayWebhookSettings>>();
        IWebhookSignatureScheme scheme = registration.SignatureScheme is { } custom
            ? custom(services) ?? throw new InvalidOperationException("The factory given to UseSignatureScheme returned null.")
            : new ReloadingSignatureScheme(_settings);
        _processor = new WebhookProcessor(
            scheme,
            store,
            new WebhookProcessorOptions { KeyPrefix = o.EndpointName, LeaseDuration = o.LeaseDuration },
            loggerFactory.CreateLogger("Kobbopay.Webhooks"));
        if (registration.Queued)
        {
            _inbox = services.GetRequiredService<IWebhookInbox>();
            _signal = services.GetRequiredService<KobbopayWebhookInboxSignal>();
        }
    }

    /// <summary>Gets the pipeline from the application's services, resolved on first use after the host validated the options.</summary>
    /// <exception cref="InvalidOperationException"><c>AddKobbopayWebhooks</c> was not called.</exception>
    public static KobbopayWebhookEndpoint For(IServiceProvider services) =>
        services.GetService<KobbopayWebhookEndpoint>() ?? throw new InvalidOperationException(NotRegistered);

    /// <summary>Answers one delivery to <c>MapKobbopayWebhooks</c>: the registered handlers run, the pipeline answers.</summary>
    public Task HandleAsync(HttpContext context) => RunAsync(context, RunHandlersAsync, queue: true);

    /// <summary>
    /// Answers one delivery to the merchant's own code: <paramref name="next"/> runs inside the lease with the verified
    /// event in <see cref="HttpContext.Features"/> and writes its own answer. A 2xx answer records the event; an answer
    /// outside 2xx, or an exception (answered 500), leaves it open for the gateway's retry.
    /// </summary>
    public Task RunAsync(HttpContext context, RequestDelegate next) =>
        RunAsync(context, async (webhook, _) =>
        {
            await next(webhook.HttpContext).ConfigureAwait(false);
            return webhook.HttpContext.Response.StatusCode;
        });

    /// <summary>
    /// Runs one delivery: refusals (415, 413, 401, 400, 409, duplicate 200, 503) are answered here and never reach
    /// <paramref name="userCode"/>. For a verified, newly leased event, <paramref name="userCode"/> runs with the event
    /// in <see cref="HttpContext.Features"/> and <see cref="HttpRequest.Body"/> replaying the verified bytes (so model
    /// binding reads exactly what was verified). It returns <see langword="null"/> to have the pipeline answer, or the
    /// status code it answered itself: outside 2xx the event is abandoned for redelivery and that answer stands. With
    /// <paramref name="queue"/> (<c>MapKobbopayWebhooks</c>) and queued processing on, the event goes to the inbox
    /// instead and the registered handlers run in the worker; the merchant's own endpoints always run inline.
    /// </summary>
    public async Task RunAsync(HttpContext context, Func<KobbopayWebhookContext, CancellationToken, Task<int?>> userCode, bool queue = false)
    {
        HttpRequest request = context.Request;
        CancellationToken cancellationToken = context.RequestAborted;
        long started = _time.GetTimestamp();

        // Network controls first: a sender outside them never gets its body read.
        if (_settings.Current.Ingress.Refusal(context) is { } refusal)
        {
            KobbopayWebhookLog.Forbidden(_logger, refusal, context.Connection.RemoteIpAddress?.ToString() ?? "(none)", DeliveryId(request));
            WebhookProcessor.CountRefused(WebhookRefusal.Forbidden);
            await WriteAsync(context.Response, WebhookAnswer.Forbidden, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!IsJson(request.ContentType))
        {
            KobbopayWebhookLog.UnsupportedMediaType(_logger, Truncate(request.ContentType) ?? "(none)", DeliveryId(request));
            WebhookProcessor.CountRefused(WebhookRefusal.UnsupportedMediaType);
            await WriteAsync(context.Response, WebhookAnswer.UnsupportedMediaType, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (request.ContentLength > _maxBodyBytes)
        {
            await TooLargeAsync(context, request.ContentLength.Value).ConfigureAwait(false);
            return;
        }

        // Let the server enforce a limit too, so nothing reads an endless body. It is twice the cap because Kestrel counts
        // chunked framing (chunk-size lines, CRLFs) towards its limit; the exact cap on the body bytes is our own count
        // below. The server's minimum body data rate is left as it is: a client trickling bytes is cut off by the
        // server, not held open here.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = 2 * _maxBodyBytes;
        }

        // Body-buffering middleware that read the body before us leaves a seekable stream behind: read it from the start.
        if (request.Body.CanSeek && request.Body.Position != 0)
        {
            request.Body.Position = 0;
        }

        byte[]? body = null;
        int length;
        try
        {
            (body, length) = await ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            length = -1;
        }
        catch (BadHttpRequestException ex)
        {
            // Bad framing or a body arriving too slowly (the server's minimum data rate): the server answers and closes.
            KobbopayWebhookLog.BodyUnreadable(_logger, ex.StatusCode, DeliveryId(request));
            WebhookProcessor.CountRefused(WebhookRefusal.Unreadable);
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            KobbopayWebhookLog.Aborted(_logger, DeliveryId(request));
            WebhookProcessor.CountRefused(WebhookRefusal.Aborted);
            return;
        }

        if (body is null)
        {
            await TooLargeAsync(context, length < 0 ? _maxBodyBytes + 1 : length).ConfigureAwait(false);
            return;
        }

        WebhookProcessingResult result;
        string deliveryId = DeliveryId(request);
        string? deliveryIdOrNull = request.Headers[DeliveryIdHeader].ToString() is { Length: > 0 } id ? id : null;
        Delivery delivery = new(context, body, length, deliveryIdOrNull, _payments, userCode);
        try
        {
            if (queue && _inbox is not null)
            {
                // Queued processing: verify, record in the inbox (durably, before the answer), wake the worker.
                result = await _processor.EnqueueAsync(new ReadOnlySequence<byte>(body, 0, length), new HttpRequestWebhookHeaders(request.Headers), _inbox, deliveryIdOrNull, cancellationToken).ConfigureAwait(false);
                _signal!.Notify();
            }
            else
            {
                result = await _processor.ProcessAsync(new ReadOnlySequence<byte>(body, 0, length), new HttpRequestWebhookHeaders(request.Headers), delivery.RunAsync, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            KobbopayWebhookLog.Aborted(_logger, deliveryId);
            WebhookProcessor.CountRefused(WebhookRefusal.Aborted);
            return;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(body);
        }

        if (delivery.FetchFailure is { } failure)
        {
            KobbopayWebhookLog.FetchFailed(_logger, failure.GetType().Name, result.Event?.PaymentId ?? "(unknown)", deliveryId);
        }

        await AnswerAsync(context, result, delivery.Answered, deliveryId, started).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads the whole body from the request pipe into one pooled buffer, counting as it goes. Every byte read is
    /// consumed at once, so the server's own count (and its size limit) matches ours exactly.
    /// </summary>
    /// <returns>The buffer (to return to the pool) and the body's length; a <see langword="null"/> buffer and the length seen so far when the body is over the cap.</returns>
    private async ValueTask<(byte[]? Buffer, int Length)> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        int max = (int)_maxBodyBytes;
        PipeReader reader = request.BodyReader;
        byte[] buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(request.ContentLength ?? InitialBufferBytes, 1, max));
        int length = 0;
        try
        {
            while (true)
            {
                ReadResult read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                ReadOnlySequence<byte> data = read.Buffer;
                if (length + data.Length > max)
                {
                    long seen = length + data.Length;
                    reader.AdvanceTo(data.End);
                    ArrayPool<byte>.Shared.Return(buffer);
                    return (null, (int)Math.Min(seen, int.MaxValue));
                }

                if (length + data.Length > buffer.Length)
                {
                    byte[] larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(max, Math.Max(2L * buffer.Length, length + data.Length)));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                data.CopyTo(buffer.AsSpan(length));
                length += (int)data.Length;
                reader.AdvanceTo(data.End);
                if (read.IsCompleted)
                {
                    return (buffer, length);
                }

                if (read.IsCanceled)
                {
                    throw new OperationCanceledException("The request body read was cancelled.", cancellationToken);
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    internal static IWebhookSignatureScheme CreateScheme(KobbopayWebhookOptions options, TimeProvider timeProvider)
    {
        if (KobbopayWebhookOptions.IsHmac(options.Scheme))
        {
            return new HmacSha256HexSignatureScheme(options.Secrets, options.SignatureHeaderName);
        }

        if (KobbopayWebhookOptions.IsStandardWebhooks(options.Scheme))
        {
            return new StandardWebhooksSignatureScheme(options.Secrets, options.Tolerance, timeProvider);
        }

        // Unreachable once the options are validated; never fall back to something that accepts everything.
        throw new InvalidOperationException($"Unknown webhook signature scheme; set {HmacSha256HexSignatureScheme.SchemeName} or {StandardWebhooksSignatureScheme.SchemeName}.");
    }

    internal static bool IsJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType) || !MediaType.TryParse(contentType, out MediaType? mediaType))
        {
            return false;
        }

        return mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            && (!mediaType.Charset.HasValue || mediaType.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));
    }

    private Task AnswerAsync(HttpContext context, WebhookProcessingResult result, int? answered, string deliveryId, long started)
    {
        // The authoritative payment could not be read: the gateway retries the signal later (the event was left open).
        if (result.Exception is PaymentFetchException)
        {
            Log(result, StatusCodes.Status503ServiceUnavailable, deliveryId, started);
            return WriteAsync(context.Response, WebhookAnswer.Unavailable, context.RequestAborted);
        }

        // The caller's code answered itself: a 2xx once the event is recorded, or its own refusal (event left open).
        if (answered is { } own && (result.Outcome == WebhookOutcome.Processed || result.Exception is UnsuccessfulAnswerException))
        {
            Log(result, own, deliveryId, started);
            return Task.CompletedTask;
        }

        WebhookAnswer answer = result.Outcome switch
        {
            WebhookOutcome.Processed => WebhookAnswer.Processed,
            WebhookOutcome.Duplicate => WebhookAnswer.Duplicate,
            WebhookOutcome.InProgress => WebhookAnswer.InProgress,
            WebhookOutcome.SignatureInvalid => WebhookAnswer.Unauthorized,
            WebhookOutcome.Malformed => WebhookAnswer.Malformed,
            WebhookOutcome.StoreUnavailable => WebhookAnswer.Unavailable,
            WebhookOutcome.Queued => WebhookAnswer.Queued,
            WebhookOutcome.Parked => WebhookAnswer.Parked,
            _ => WebhookAnswer.Failed,
        };

        Log(result, answer.Status, deliveryId, started);
        return WriteAsync(context.Response, answer, context.RequestAborted);
    }

    private void Log(WebhookProcessingResult result, int status, string deliveryId, long started)
    {
        _failures?.Record(result.Outcome);
        double elapsedMs = _time.GetElapsedTime(started).TotalMilliseconds;
        if (result.Outcome == WebhookOutcome.Processed)
        {
            KobbopayWebhookLog.Processed(_logger, result.Event?.Type.Value ?? "(unknown)", result.Event is { } e ? WebhookDedupeKey.For(e) : "(unknown)", deliveryId, elapsedMs);
        }
        else
        {
            KobbopayWebhookLog.Answered(_logger, deliveryId, status, result.OutcomeName, elapsedMs);
        }
    }

    private Task TooLargeAsync(HttpContext context, long bodyBytes)
    {
        KobbopayWebhookLog.TooLarge(_logger, bodyBytes, _maxBodyBytes, DeliveryId(context.Request));
        WebhookProcessor.CountRefused(WebhookRefusal.TooLarge);
        return WriteAsync(context.Response, WebhookAnswer.TooLarge, context.RequestAborted);
    }

    private static Task WriteAsync(HttpResponse response, WebhookAnswer answer, CancellationToken cancellationToken)
    {
        (int status, byte[] body) = (answer.Status, answer.Body);
        if (response.HasStarted || cancellationToken.IsCancellationRequested)
        {
            return Task.CompletedTask;
        }

        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        response.Headers.CacheControl = "no-store";
        return response.Body.WriteAsync(body.AsMemory(), CancellationToken.None).AsTask();
    }

    private static string DeliveryId(HttpRequest request) => Truncate(request.Headers[DeliveryIdHeader].ToString()) is { Length: > 0 } id ? id : "(none)";

    private static string? Truncate(string? value) =>
        value is { Length: > MaxLoggedHeaderLength } ? string.Concat(value.AsSpan(0, MaxLoggedHeaderLength), "…") : value;

    /// <summary>The registered handlers of <c>MapKobbopayWebhooks</c>: a scope of its own, then every handler for the event's type, in order.</summary>
    private async Task<int?> RunHandlersAsync(KobbopayWebhookContext context, CancellationToken cancellationToken)
    {
        PaymentEvent paymentEvent = context.Event;
        AsyncServiceScope scope = _scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            bool any = false;
            foreach (KobbopayWebhookHandlerRegistration registration in _handlers)
            {
                if (!registration.Handles(context))
                {
                    continue;
                }

                any = true;
                try
                {
                    IKobbopayWebhookHandler handler = registration.Resolve(scope.ServiceProvider);
                    await handler.HandleAsync(context, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    KobbopayWebhookLog.HandlerFailed(_logger, registration.HandlerType.Name, ex.GetType().Name, paymentEvent.Type.Value, context.DedupeKey, Truncate(context.DeliveryId) ?? "(none)");
                    throw;
                }

                KobbopayWebhookLog.HandlerCompleted(_logger, registration.HandlerType.Name, paymentEvent.Type.Value, context.DedupeKey);
            }

            if (!any && !context.IsStale)
            {
                KobbopayWebhookLog.NoHandler(_logger, paymentEvent.Type.Value, context.DedupeKey);
            }
        }

        return null;
    }

    /// <summary>
    /// The inbox worker's run of the registered handlers for a queued event, after the request was answered: the event's
    /// order is judged now, when it is handled (stale events reach only the handlers that asked for them); with
    /// signal-then-fetch on, the payment is read first (a failed read throws, and the worker retries the event later).
    /// Once the handlers succeeded, the payment's highest handled sequence is raised; a throw leaves it as it was.
    /// </summary>
    internal async Task RunQueuedAsync(PaymentEvent paymentEvent, string? deliveryId, CancellationToken cancellationToken)
    {
        bool stale = await _processor.IsStaleAsync(paymentEvent, cancellationToken).ConfigureAwait(false);
        Payment? payment = _payments is null ? null : await _payments.GetPaymentAsync(paymentEvent.PaymentId, cancellationToken).ConfigureAwait(false);
        KobbopayWebhookContext context = new(paymentEvent, WebhookDedupeKey.For(paymentEvent), deliveryId, new DefaultHttpContext()) { Payment = payment, IsStale = stale };
        await RunHandlersAsync(context, cancellationToken).ConfigureAwait(false);
        if (!stale)
        {
            await _processor.RecordHandledAsync(paymentEvent, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One delivery's run of the caller's code inside the lease: the verified event in the request's features and the
    /// request body replaying the verified bytes while it runs; both are put back before the pooled buffer is returned.
    /// </summary>
    private sealed class Delivery(
        HttpContext httpContext, byte[] body, int length, string? deliveryId, IKobbopayPaymentReader? payments, Func<KobbopayWebhookContext, CancellationToken, Task<int?>> userCode)
    {
        /// <summary>Gets the status code the caller's code answered with, or <see langword="null"/> when it left the answer to the pipeline (or did not run).</summary>
        public int? Answered { get; private set; }

        /// <summary>Gets why the authoritative payment could not be read (the caller's code did not run), or <see langword="null"/>.</summary>
        public Exception? FetchFailure { get; private set; }

        public async Task RunAsync(PaymentEvent paymentEvent, bool isStale, CancellationToken cancellationToken)
        {
            Payment? payment = null;
            if (payments is not null)
            {
                try
                {
                    payment = await payments.GetPaymentAsync(paymentEvent.PaymentId, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    FetchFailure = ex;
                    throw new PaymentFetchException();
                }
            }

            KobbopayWebhookContext context = new(paymentEvent, WebhookDedupeKey.For(paymentEvent), deliveryId, httpContext) { Payment = payment, IsStale = isStale };
            HttpRequest request = httpContext.Request;
            Stream original = request.Body;
            request.Body = new MemoryStream(body, 0, length, writable: false);
            httpContext.Features.Set(context);
            try
            {
                Answered = await userCode(context, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                httpContext.Features.Set<KobbopayWebhookContext>(null);
                request.Body = original;
            }

            if (Answered is { } status && status is < 200 or > 299)
            {
                throw new UnsuccessfulAnswerException(status);
            }
        }
    }

    /// <summary>The authoritative payment could not be read: the processor abandons the event and the delivery is answered 503.</summary>
    private sealed class PaymentFetchException() : Exception("The payment could not be read from the API; the event stays open for redelivery.");

    /// <summary>The caller's code answered outside 2xx: the processor abandons the event so the gateway's retry runs it again.</summary>
    private sealed class UnsuccessfulAnswerException(int status) : Exception($"The webhook endpoint answered {status}; the event stays open for redelivery.");
}
