using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using static Kobbopay.AspNetCore.Tests.TestSupport.Payloads;

namespace Kobbopay.AspNetCore.Tests;

/// <summary>At-least-once delivery, duplicated and reordered, over real HTTP: each event's handlers run exactly once, or again only when retrying is right.</summary>
public sealed class ConcurrencyTests
{
    [Fact]
    public async Task AThousandEvents_EachDeliveredTenTimesConcurrentlyInShuffledOrder_AreEachHandledExactlyOnce()
    {
        const int events = 1_000;
        const int deliveries = 10;
        HandlerCalls calls = new();
        await using WebhookApp app = await WebhookApp.StartAsync(calls, logLevel: LogLevel.Warning);

        (string Id, byte[] Body, IReadOnlyList<KeyValuePair<string, string>> Headers)[] signed =
            [.. Enumerable.Range(0, events).Select(i =>
            {
                string id = $"evt_load_{i:D4}";
                byte[] body = Event(id, paymentId: $"pay_{i:D4}");
                return (id, body, Sign(body));
            })];
        int[] order = [.. Enumerable.Range(0, events * deliveries).Select(i => i % events)];
        new Random(20261121).Shuffle(order);

        ConcurrentDictionary<int, int> statuses = new();
        ConcurrentDictionary<string, int> processed = new(StringComparer.Ordinal);
        await Parallel.ForEachAsync(order, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = WebhookApp.Ct }, async (index, _) =>
        {
            ApiResponse response = await app.PostAsync(signed[index].Body, signed[index].Headers);
            statuses.AddOrUpdate(response.Status, 1, static (_, n) => n + 1);
            if (response.Body == """{"status":"processed"}""")
            {
                processed.AddOrUpdate(signed[index].Id, 1, static (_, n) => n + 1);
            }
        });

        statuses.Keys.ShouldAllBe(status => status == 200 || status == 409, string.Join(", ", statuses));
        statuses.Values.Sum().ShouldBe(events * deliveries);
        calls.Counts.Count.ShouldBe(events);
        calls.Counts.Values.ShouldAllBe(count => count == 1);
        processed.Count.ShouldBe(events);
        processed.Values.ShouldAllBe(count => count == 1);
    }

    [Fact]
    public async Task AnExpiredLease_ReopensTheEvent_ForTheNextDelivery()
    {
        FakeTimeProvider clock = new();
        TaskCompletionSource firstEntered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        TaskCompletionSource releaseFirst = new(TaskCreationOptions.RunContinuationsAsynchronously);
        HandlerCalls calls = new()
        {
            Behavior = async (_, count, _) =>
            {
                if (count == 1)
                {
                    firstEntered.SetResult();
                    await releaseFirst.Task; // a handler that hangs (or a process that died) holding the lease
                }
            },
        };
        Dictionary<string, string?> settings = WebhookApp.DefaultSettings();
        settings["Kobbopay:Webhooks:LeaseDuration"] = "00:01:00";
        await using WebhookApp app = await WebhookApp.StartAsync(
            calls,
            w => w.AddHandler<CatchAllHandler>().UseEventStore(_ => new InMemoryWebhookEventStore(clock)),
            settings);
        byte[] body = Event("evt_lease");

        Task<ApiResponse> first = app.PostSignedAsync(body, deliveryId: "dlv_1");
        await firstEntered.Task.WaitAsync(WebhookApp.Ct);

        ApiResponse second = await app.PostSignedAsync(body, deliveryId: "dlv_2");
        second.ToString().ShouldBe(WebhookApp.Answer(409, "in_progress"));
        calls.Counts["evt_lease"].ShouldBe(1);

        clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        ApiResponse third = await app.PostSignedAsync(body, deliveryId: "dlv_3");
        third.ToString().ShouldBe(WebhookApp.Answer(200, "processed"));
        calls.Counts["evt_lease"].ShouldBe(2);
        calls.Calls.Select(c => c.Context.DeliveryId).ShouldBe(["dlv_1", "dlv_3"]);

        releaseFirst.SetResult();
        (await first).Status.ShouldBe(200); // its work is done and the event is recorded (by the delivery that took over)
        ApiResponse fourth = await app.PostSignedAsync(body, deliveryId: "dlv_4");
        fourth.Body.ShouldBe("""{"status":"duplicate"}""");
        calls.Counts["evt_lease"].ShouldBe(2);
    }
}
