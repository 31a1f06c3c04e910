using System.Collections.Concurrent;
using System.Text;
using Kobbopay.AspNetCore;
using Microsoft.AspNetCore.Builder;

namespace Kobbopay.EventStore.Tests.Endpoint;

/// <summary>A merchant app instance on a <see cref="LoopbackHost"/>: the webhook endpoint, a durable store, a counting handler; with <c>health</c>, Kobbopay's health checks at <c>/health</c>.</summary>
internal sealed class WebhookApp(LoopbackHost host) : IAsyncDisposable
{
    public const string Secret = "whsk_instances_test";

    public Uri Url { get; } = host.Url("/webhook/kobbopay");

    public Uri HealthUrl { get; } = host.Url("/health");

    public static async Task<WebhookApp> StartAsync(Action<IServiceCollection> store, HandlerLog log, TimeProvider? clock = null, bool health = false, Action<KobbopayWebhooksBuilder>? webhooks = null)
    {
        LoopbackHost host = await LoopbackHost.StartAsync(
            builder =>
            {
                if (clock is not null)
                {
                    builder.Services.AddSingleton(clock);
                }

                builder.Services.AddSingleton(log);
                KobbopayWebhooksBuilder endpoint = builder.Services.AddKobbopayWebhooks(o =>
                {
                    o.Secrets.Add(Secret);
                    o.LeaseDuration = TimeSpan.FromMinutes(1);
                }).AddHandler<CountingHandler>();
                webhooks?.Invoke(endpoint);
                store(builder.Services);
                if (health)
                {
                    builder.Services.AddHealthChecks().AddKobbopayHealthChecks();
                }
            },
            app =>
            {
                app.MapKobbopayWebhooks();
                if (health)
                {
                    app.MapJsonHealthChecks();
                }
            },
            TestContext.Current.CancellationToken);
        return new WebhookApp(host);
    }

    /// <summary>Stops the app abruptly, as a crash would: in-flight handlers are left where they are.</summary>
    public async Task KillAsync()
    {
        using CancellationTokenSource quick = new(TimeSpan.FromMilliseconds(50));
        try
        {
            await host.StopAsync(quick.Token);
        }
        catch (OperationCanceledException)
        {
            // Shutdown did not wait for the stuck handler: that is the point.
        }
    }

    public ValueTask DisposeAsync() => host.DisposeAsync();

    public static byte[] EventBody(string eventId, int sequence = 1) => Encoding.UTF8.GetBytes(
        "{\"id\":\"" + eventId + "\",\"type\":\"payment.paid\",\"createdAt\":\"2026-11-21T10:00:00Z\",\"paymentId\":\"pay_" + eventId
        + "\",\"sequence\":" + sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)
        + ",\"previousStatus\":\"pending\",\"data\":{\"payment\":{\"id\":\"pay_" + eventId
        + "\",\"status\":\"paid\",\"amount\":\"1.00\",\"currency\":\"USDT\",\"network\":\"n\",\"orderId\":\"o-" + eventId + "\"}}}");

    public static HttpRequestMessage Delivery(Uri url, byte[] body, string eventId)
    {
        HttpRequestMessage request = new(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        foreach (KeyValuePair<string, string> header in KobbopayWebhookSigner.Sign(body, HmacSha256HexSignatureScheme.SchemeName, Secret, eventId, DateTimeOffset.UnixEpoch))
        {
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        request.Headers.TryAddWithoutValidation("x-event-id", eventId);
        return request;
    }

    /// <summary>Counts handler runs per event; can hold one event's handler forever (a process that hangs, then dies).</summary>
    internal sealed class HandlerLog
    {
        public ConcurrentDictionary<string, int> Runs { get; } = new();

        public string? Hang { get; set; }

        public TaskCompletionSource Hung { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Never { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Gets or sets how many distinct events <see cref="AllRan"/> waits for.</summary>
        public int Expected { get; set; } = int.MaxValue;

        /// <summary>Gets a task that completes once <see cref="Expected"/> distinct events have run.</summary>
        public TaskCompletionSource AllRan { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class CountingHandler(HandlerLog log) : IKobbopayWebhookHandler
    {
        public async Task HandleAsync(KobbopayWebhookContext context, CancellationToken cancellationToken)
        {
            log.Runs.AddOrUpdate(context.Event.Id!, 1, (_, n) => n + 1);
            if (log.Runs.Count >= log.Expected)
            {
                log.AllRan.TrySetResult();
            }
            if (context.Event.Id == log.Hang)
            {
                log.Hung.TrySetResult();
                await log.Never.Task; // ignores cancellation, as a stuck process does
            }
        }
    }
}
