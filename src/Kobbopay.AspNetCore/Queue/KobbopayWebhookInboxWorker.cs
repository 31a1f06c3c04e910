using Kobbopay.AspNetCore.Internal;
using Kobbopay.Sdk;
using Kobbopay.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kobbopay.AspNetCore.Queue;

/// <summary>
/// Queued processing's background worker: claims due events from the <see cref="IWebhookInbox"/> under a lease, runs the
/// registered handlers (in a scope of their own, as the endpoint does), then completes the event, or schedules its next
/// attempt with backoff, or parks it once its attempts are spent. It wakes when this instance enqueues and otherwise
/// looks again after <see cref="KobbopayWebhookQueueOptions.PollInterval"/>.
/// </summary>
internal sealed class KobbopayWebhookInboxWorker : BackgroundService
{
    private readonly IWebhookInbox _inbox;
    private readonly KobbopayWebhookInboxSignal _signal;
    private readonly KobbopayWebhookEndpoint _endpoint;
    private readonly KobbopayWebhookQueueOptions _options;
    private readonly TimeSpan _lease;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public KobbopayWebhookInboxWorker(
        IServiceProvider services,
        IWebhookInbox inbox,
        KobbopayWebhookInboxSignal signal,
        KobbopayWebhookEndpoint endpoint,
        IOptions<KobbopayWebhookQueueOptions> options,
        IOptions<KobbopayWebhookOptions> webhookOptions,
        ILoggerFactory loggerFactory)
    {
        _inbox = inbox;
        _signal = signal;
        _endpoint = endpoint;
        _options = options.Value;
        _lease = webhookOptions.Value.LeaseDuration;
        _time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        _logger = loggerFactory.CreateLogger(KobbopayWebhookEndpoint.LogCategory);
    }

    /// <summary>Gets or sets what runs each time the worker starts waiting (its timer set), for tests that advance a fake clock.</summary>
    internal Action? Waiting { get; set; }

    /// <summary>Gets or sets the source of jitter, in [0, 1).</summary>
    internal Func<double> Jitter { get; set; } = Random.Shared.NextDouble;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            IReadOnlyList<WebhookInboxEntry> batch = [];
            try
            {
                batch = await _inbox.ClaimAsync(_options.BatchSize, _lease, stoppingToken).ConfigureAwait(false);
                foreach (WebhookInboxEntry entry in batch)
                {
                    await RunAsync(entry, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // An unclaimed or unsettled event is claimed again once its lease lapses: nothing is lost.
                KobbopayWebhookQueueLog.InboxUnavailable(_logger, ex, "claim");
                batch = [];
            }

            if (batch.Count < _options.BatchSize)
            {
                await _signal.WaitAsync(_options.PollInterval, _time, Waiting, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task RunAsync(WebhookInboxEntry entry, CancellationToken stoppingToken)
    {
        if (entry.Attempts > _options.MaxAttempts)
        {
            // Claimed again after runs that never settled (the process died each time): do not let it take the next one down.
            await SettleAsync(entry, null, $"{entry.Attempts - 1} runs never finished", null).ConfigureAwait(false);
            return;
        }

        if (!WebhookEventParser.TryParse(entry.Body.Span, out PaymentEvent? paymentEvent, out string? error))
        {
            await SettleAsync(entry, null, error!, null).ConfigureAwait(false);
            return;
        }

        try
        {
            await _endpoint.RunQueuedAsync(paymentEvent!, entry.DeliveryId, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: leave the claim to lapse; another run (here after a restart, or another instance) takes it.
            return;
        }
        catch (Exception ex)
        {
            TimeSpan? delay = KobbopayWebhookRetrySchedule.Delay(entry.Attempts, _options, Jitter());
            await SettleAsync(entry, delay, ex.GetType().Name, ex).ConfigureAwait(false);
            return;
        }

        if (!await _inbox.CompleteAsync(entry.Key, entry.LeaseId, CancellationToken.None).ConfigureAwait(false))
        {
            KobbopayWebhookQueueLog.LeaseLost(_logger, entry.Key);
            return;
        }

        KobbopayWebhookQueueLog.Handled(_logger, entry.Key, entry.Attempts);
    }

    private async Task SettleAsync(WebhookInboxEntry entry, TimeSpan? delay, string reason, Exception? exception)
    {
        DateTimeOffset? retryAt = delay is { } d ? _time.GetUtcNow() + d : null;
        if (!await _inbox.FailAsync(entry.Key, entry.LeaseId, retryAt, reason, CancellationToken.None).ConfigureAwait(false))
        {
            KobbopayWebhookQueueLog.LeaseLost(_logger, entry.Key);
        }
        else if (delay is { } wait)
        {
            KobbopayWebhookQueueLog.Retrying(_logger, exception, entry.Key, entry.Attempts, reason, wait);
        }
        else
        {
            KobbopayWebhookQueueLog.Parked(_logger, exception, entry.Key, entry.Attempts, reason);
        }
    }
}
