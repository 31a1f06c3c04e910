using System.Collections.Concurrent;
using System.Net;
using Kobbopay.AspNetCore;
using Kobbopay.EventStore.Tests.Endpoint;
using Kobbopay.Sdk;

namespace Kobbopay.EventStore.Tests.Stale;

/// <summary>
/// Stale events through the real webhook endpoint, written once: a <c>payment.paid</c> delivered after the payment's
/// <c>payment.confirmed</c> is answered 2xx, kept from the default handler, and handed flagged to the handler that asked
/// for stale events; with a durable store that holds across a restart (a new app on the same database).
/// </summary>
public abstract class StaleEventEndpointTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_paid_after_confirmed_reaches_only_the_opted_in_handler_flagged_stale_even_after_a_restart()
    {
        Action<IServiceCollection> store = NewStore();
        WebhookApp.HandlerLog log = new();
        AuditLog audit = new();

        await using (WebhookApp before = await StartAsync(store, log, audit))
        {
            (await DeliverAsync(before, Confirmed("pay_restart", "evt_confirmed", sequence: 3))).ShouldBe(HttpStatusCode.OK);
        }

        await using WebhookApp after = await StartAsync(store, log, audit);
        (await DeliverAsync(after, Paid("pay_restart", "evt_paid", sequence: 2))).ShouldBe(HttpStatusCode.OK);
        (await DeliverAsync(after, Paid("pay_restart", "evt_paid", sequence: 2))).ShouldBe(HttpStatusCode.OK); // a retry is a duplicate

        log.Runs.Keys.ShouldBe(["evt_confirmed"], "the default handler never sees the stale event");
        audit.Seen.ShouldBe([("evt_confirmed", false), ("evt_paid", true)]);
    }

    [Fact]
    public async Task Queued_processing_keeps_a_stale_event_from_the_default_handler_when_the_worker_handles_it()
    {
        WebhookApp.HandlerLog log = new();
        AuditLog audit = new() { Awaited = "evt_paid" };
        await using WebhookApp app = await StartAsync(NewStore(), log, audit, queued: true);

        (await DeliverAsync(app, Confirmed("pay_queued", "evt_confirmed", sequence: 3))).ShouldBe(HttpStatusCode.OK);
        await audit.Confirmed.Task.WaitAsync(Ct); // handled: its sequence is recorded before the next is claimed
        (await DeliverAsync(app, Paid("pay_queued", "evt_paid", sequence: 2))).ShouldBe(HttpStatusCode.OK);
        await audit.Arrived.Task.WaitAsync(Ct);

        log.Runs.Keys.ShouldBe(["evt_confirmed"]);
        audit.Seen.ShouldBe([("evt_confirmed", false), ("evt_paid", true)]);
    }

    [Fact]
    public async Task An_event_without_a_sequence_is_never_stale()
    {
        WebhookApp.HandlerLog log = new();
        AuditLog audit = new();
        await using WebhookApp app = await StartAsync(NewStore(), log, audit);

        (await DeliverAsync(app, Confirmed("pay_unsequenced", "evt_confirmed", sequence: 3))).ShouldBe(HttpStatusCode.OK);
        (await DeliverAsync(app, Paid("pay_unsequenced", "evt_paid", sequence: null))).ShouldBe(HttpStatusCode.OK);

        log.Runs.Keys.Order().ShouldBe(["evt_confirmed", "evt_paid"]);
        audit.Seen.ShouldBe([("evt_confirmed", false), ("evt_paid", false)]);
    }

    /// <summary>Returns the registration of a new, empty store; calling it again (a restarted app) reaches the same database.</summary>
    protected abstract Action<IServiceCollection> NewStore();

    private static Task<WebhookApp> StartAsync(Action<IServiceCollection> store, WebhookApp.HandlerLog log, AuditLog audit, bool queued = false) =>
        WebhookApp.StartAsync(store, log, webhooks: w =>
        {
            w.Services.AddSingleton(audit);
            w.AddHandler<AuditHandler>(type: null, includeStale: true);
            if (queued)
            {
                w.UseQueuedProcessing();
            }
        });

    private static async Task<HttpStatusCode> DeliverAsync(WebhookApp app, (string EventId, byte[] Body) delivery)
    {
        using HttpClient http = new();
        using HttpRequestMessage request = WebhookApp.Delivery(app.Url, delivery.Body, delivery.EventId);
        using HttpResponseMessage response = await http.SendAsync(request, Ct);
        return response.StatusCode;
    }

    private static (string, byte[]) Confirmed(string paymentId, string eventId, long sequence) =>
        Event(PaymentEventType.Confirmed, PaymentStatus.Confirmed, PaymentStatus.Paid, paymentId, eventId, sequence);

    private static (string, byte[]) Paid(string paymentId, string eventId, long? sequence) =>
        Event(PaymentEventType.Paid, PaymentStatus.Paid, PaymentStatus.Pending, paymentId, eventId, sequence);

    private static (string, byte[]) Event(PaymentEventType type, PaymentStatus status, PaymentStatus previous, string paymentId, string eventId, long? sequence)
    {
        Payment payment = KobbopayModelFactory.Payment(id: paymentId, status: status, amount: 10.50m);
        return (eventId, KobbopaySerializer.SerializeToUtf8Bytes(KobbopayModelFactory.PaymentEvent(type, payment, eventId, sequence, previous)));
    }

    /// <summary>What the opted-in handler saw, in order: each event id and its <see cref="KobbopayWebhookContext.IsStale"/>.</summary>
    private sealed class AuditLog
    {
        public ConcurrentQueue<(string, bool)> Seen { get; } = new();

        public string? Awaited { get; init; }

        public TaskCompletionSource Confirmed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Arrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class AuditHandler(AuditLog audit) : IKobbopayWebhookHandler
    {
        public Task HandleAsync(KobbopayWebhookContext context, CancellationToken cancellationToken)
        {
            audit.Seen.Enqueue((context.Event.Id!, context.IsStale));
            (context.Event.Type == PaymentEventType.Confirmed ? audit.Confirmed : context.Event.Id == audit.Awaited ? audit.Arrived : null)?.TrySetResult();
            return Task.CompletedTask;
        }
    }
}
