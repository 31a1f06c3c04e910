using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Kobbopay.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Kobbopay.EventStore.Tests.Endpoint;

/// <summary>A merchant app instance: Kestrel on loopback, the webhook endpoint, a durable store, a counting handler.</summary>
internal sealed class WebhookApp : IAsyncDisposable
{
    public const string Secret = "whsk_instances_test";

    private readonly WebApplication _app;

    private WebhookApp(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<WebhookApp> StartAsync(Action<IServiceCollection> store, HandlerLog log, TimeProvider? clock = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        if (clock is not null)
        {
            builder.Services.AddSingleton(clock);
        }

        builder.Services.AddSingleton(log);
        builder.Services.AddKobbopayWebhooks(o =>
        {
            o.Secrets.Add(Secret);
            o.LeaseDuration = TimeSpan.FromMinutes(1);
        }).AddHandler<CountingHandler>();
        store(builder.Services);
        WebApplication app = builder.Build();
        app.MapKobbopayWebhooks();
        await app.StartAsync(TestContext.Current.CancellationToken);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new WebhookApp(app, new Uri(address + "/webhook/kobbopay"));
    }

    /// <summary>Stops the app abruptly, as a crash would: in-flight handlers are left where they are.</summary>
    public async Task KillAsync()
    {
        using CancellationTokenSource quick = new(TimeSpan.FromMilliseconds(50));
        try
        {
            await _app.StopAsync(quick.Token);
        }
        catch (OperationCanceledException)
        {
            // Shutdown did not wait for the stuck handler: that is the point.
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

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
    }

    private sealed class CountingHandler(HandlerLog log) : IKobbopayWebhookHandler
    {
        public async Task HandleAsync(KobbopayWebhookContext context, CancellationToken cancellationToken)
        {
            log.Runs.AddOrUpdate(context.Event.Id!, 1, (_, n) => n + 1);
            if (context.Event.Id == log.Hang)
            {
                log.Hung.TrySetResult();
                await log.Never.Task; // ignores cancellation, as a stuck process does
            }
        }
    }
}
