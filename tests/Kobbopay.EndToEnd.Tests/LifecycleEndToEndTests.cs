using System.Collections.Concurrent;
using Kobbopay.AspNetCore;
using Kobbopay.Sdk;
using Kobbopay.Simulator;
using Kobbopay.TestUtilities;
using Kobbopay.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Kobbopay.EndToEnd.Tests;

/// <summary>Client, simulator and a merchant app (a <see cref="LoopbackHost"/>) on real loopback ports, with the gateway misbehaving.</summary>
public sealed class LifecycleEndToEndTests(ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoHundredPayments_UnderDeliveryFaults_ConvergeToTheGatewaysTruth_EachTransitionHandledOnce_StaleOnesKeptFromTheDefaultHandler()
    {
        const int Payments = 200;
        await using var gateway = await KobbopaySimulator.StartAsync(new KobbopaySimulatorOptions
        {
            ClockStart = new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero),
            WebhookFaults = new SimulatorWebhookFaultOptions
            {
                Seed = 42,
                DuplicateRate = 0.2,
                DropFirstAttemptRate = 0.2,
                ReorderRate = 0.3,
                ReorderMaxDelayMilliseconds = 20,
            },
        }, Ct);
        var book = new OrderBook();
        string secret = "whsk_e2e_" + Guid.NewGuid().ToString("N");
        await using var merchant = await StartMerchantAsync(book, secret);
        gateway.AddWebhookEndpoint(merchant.Url("/webhook/kobbopay"), secret);
        var options = new KobbopayClientOptions { BaseAddress = gateway.BaseAddress, ApiKey = gateway.TestApiKey };
        options.Resilience.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
        var client = KobbopayClient.Create(options);

        var payments = new Payment[Payments];
        await Parallel.ForAsync(0, Payments, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (i, ct) =>
        {
            string orderId = $"order-{i:D3}";
            book.Open(orderId);
            payments[i] = await client.CreatePaymentAsync(
                new CreatePaymentRequest { Amount = 10.00m, Currency = "USDT", Network = "example-network", OrderId = orderId },
                KobbopayIdempotencyKey.FromOrderId(orderId),
                ct);
        });

        for (int i = 0; i < Payments; i++)
        {
            string id = payments[i].Id;
            switch (i % 5)
            {
                case 0:
                    gateway.Pay(id);
                    gateway.Confirm(id);
                    break;
                case 1:
                    gateway.Pay(id, 4m);
                    gateway.Pay(id, 6m);
                    gateway.Confirm(id);
                    break;
                case 2:
                    break; // expires
                case 3:
                    gateway.Pay(id, 12m);
                    gateway.Confirm(id);
                    break;
                case 4:
                    gateway.Pay(id, 3m); // partial, then the window closes
                    break;
            }
        }

        await gateway.WhenWebhooksIdleAsync(Ct);
        gateway.Clock.Advance(TimeSpan.FromMinutes(15));
        foreach (var p in payments.Where((_, i) => i % 5 == 4))
        {
            gateway.Pay(p.Id, 7m); // arrives after expiry: late payment
        }

        // Let the dropped first attempts come round on the retry schedule.
        for (int round = 0; round < 20 && gateway.Deliveries.Any(d => d.Status != "succeeded"); round++)
        {
            await gateway.WhenWebhooksIdleAsync(Ct);
            gateway.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        await gateway.WhenWebhooksIdleAsync(Ct);

        var deliveries = gateway.Deliveries;
        output.WriteLine($"events {deliveries.Count}, attempts {deliveries.Sum(d => d.Attempts.Count)}, " +
            $"dropped {deliveries.Sum(d => d.Attempts.Count(a => a.Fault == "dropped"))}, duplicates {deliveries.Sum(d => d.Attempts.Count(a => a.Fault == "duplicate"))}, " +
            $"reordered {deliveries.Sum(d => d.Attempts.Count(a => a.Fault == "reordered"))}, handler runs {book.HandlerRuns}, " +
            $"stale {book.StaleEvents.Count}");
        deliveries.ShouldAllBe(d => d.Status == "succeeded");
        deliveries.Sum(d => d.Attempts.Count(a => a.Fault == "dropped")).ShouldBeGreaterThan(Payments / 10, "the run dropped first attempts");
        deliveries.Sum(d => d.Attempts.Count(a => a.Fault == "duplicate")).ShouldBeGreaterThan(Payments / 10, "the run duplicated deliveries");

        // Every event reaches the opted-in auditor exactly once; the default handler gets exactly the ones that were
        // not stale (reordering delivered some after a later event of their payment), each once.
        var eventIds = deliveries.Select(d => d.EventId).Distinct().ToList();
        book.Audited.Keys.ShouldBe(eventIds, ignoreOrder: true);
        book.Audited.Values.ShouldAllBe(n => n == 1, "every event handed to the auditor exactly once");
        book.StaleEvents.Count.ShouldBeGreaterThan(0, "the reordering made some events stale");
        book.RunsPerEvent.Keys.ShouldBe(eventIds.Except(book.StaleEvents.Keys), ignoreOrder: true);
        book.RunsPerEvent.Values.ShouldAllBe(n => n == 1, "every event that moved its payment handled exactly once");
        foreach (var p in payments)
        {
            var truth = gateway.GetPayment(p.Id);
            book.StatusOf(p.OrderId).ShouldBe(truth.Status, $"order {p.OrderId}");
        }

        payments.Count(p => gateway.GetPayment(p.Id).Status == "confirmed").ShouldBe(Payments * 3 / 5);
        payments.Count(p => gateway.GetPayment(p.Id).Status == "expired").ShouldBe(Payments * 2 / 5);
        book.LatePayments.ShouldBe(Payments / 5);
    }

    private static Task<LoopbackHost> StartMerchantAsync(OrderBook book, string secret) => LoopbackHost.StartAsync(
        builder =>
        {
            builder.Services.AddSingleton(book);
            builder.Services.AddKobbopayWebhooks(o => o.Secrets.Add(secret))
                .AddHandler<OrderHandler>()
                .AddHandler<AuditHandler>(type: null, includeStale: true);
        },
        app => app.MapKobbopayWebhooks("/webhook/kobbopay"),
        Ct);

    private sealed class OrderHandler(OrderBook book) : IKobbopayWebhookHandler
    {
        public Task HandleAsync(KobbopayWebhookContext context, CancellationToken cancellationToken)
        {
            book.Apply(context.Event);
            return Task.CompletedTask;
        }
    }

    private sealed class AuditHandler(OrderBook book) : IKobbopayWebhookHandler
    {
        public Task HandleAsync(KobbopayWebhookContext context, CancellationToken cancellationToken)
        {
            book.Audit(context.Event, context.IsStale);
            return Task.CompletedTask;
        }
    }

    /// <summary>The merchant's orders, updated only forward (a late or reordered event never moves one back).</summary>
    private sealed class OrderBook
    {
        private readonly ConcurrentDictionary<string, (string? Status, long? Sequence)> _orders = new();
        private readonly PaymentLifecycleOrdering _ordering = new();
        private int _latePayments;

        public ConcurrentDictionary<string, int> RunsPerEvent { get; } = new();

        public int HandlerRuns => RunsPerEvent.Values.Sum();

        public ConcurrentDictionary<string, int> Audited { get; } = new();

        public ConcurrentDictionary<string, bool> StaleEvents { get; } = new();

        public void Audit(PaymentEvent e, bool isStale)
        {
            Audited.AddOrUpdate(e.Id!, 1, (_, n) => n + 1);
            if (isStale)
            {
                StaleEvents[e.Id!] = true;
            }
        }

        public int LatePayments => _latePayments;

        public void Open(string orderId) => _orders[orderId] = (null, null);

        public string? StatusOf(string orderId) => _orders[orderId].Status;

        public void Apply(PaymentEvent e)
        {
            RunsPerEvent.AddOrUpdate(e.Id!, 1, (_, n) => n + 1);
            var payment = e.Payment!;
            if (e.Type == PaymentEventType.LatePayment)
            {
                Interlocked.Increment(ref _latePayments);
            }

            lock (this)
            {
                var (status, sequence) = _orders[payment.OrderId];
                if (_ordering.IsForward(e, sequence, status is null ? null : new PaymentStatus(status)))
                {
                    _orders[payment.OrderId] = (payment.Status.Value, e.Sequence);
                }
            }
        }
    }
}
