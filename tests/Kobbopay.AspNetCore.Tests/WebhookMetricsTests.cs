using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Kobbopay.AspNetCore.Tests.TestSupport;
using static Kobbopay.AspNetCore.Tests.TestSupport.Payloads;

namespace Kobbopay.AspNetCore.Tests;

/// <summary>Runs alone: the meter <c>Kobbopay.Webhooks</c> is process-wide, so other tests' deliveries would count too.</summary>
[CollectionDefinition(nameof(MetricsCollection), DisableParallelization = true)]
public sealed class MetricsCollection;

/// <summary>The meter <c>Kobbopay.Webhooks</c>: deliveries by outcome (the endpoint's own refusals included), duplicates, signature failures by reason, handler failures.</summary>
[Collection(nameof(MetricsCollection))]
public sealed class WebhookMetricsTests
{
    [Fact]
    public async Task EveryAnswer_IsCountedOnce_UnderItsOutcome()
    {
        ConcurrentQueue<(string Instrument, long Value, Dictionary<string, object?> Tags)> measurements = new();
        using MeterListener listener = new()
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "Kobbopay.Webhooks")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            Dictionary<string, object?> copy = new(StringComparer.Ordinal);
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            measurements.Enqueue((instrument.Name, value, copy));
        });
        listener.Start();

        HandlerCalls calls = new() { Behavior = (context, _, _) => context.Event.Id == "evt_m_fail" ? throw new InvalidOperationException("boom") : Task.CompletedTask };
        await using (WebhookApp app = await WebhookApp.StartAsync(calls))
        {
            byte[] ok = Event("evt_m_ok");
            byte[] fail = Event("evt_m_fail");
            byte[] big = Event("evt_m_big", totalBytes: 300_000);
            (await app.PostSignedAsync(ok)).Status.ShouldBe(200);
            (await app.PostSignedAsync(ok)).Status.ShouldBe(200);
            (await app.PostSignedAsync(fail)).Status.ShouldBe(500);
            (await app.PostAsync(ok, headers: null)).Status.ShouldBe(401);
            (await app.PostAsync(ok, [new("x-signature", new string('0', 64))])).Status.ShouldBe(401);
            (await app.PostSignedAsync("{"u8.ToArray())).Status.ShouldBe(400);
            (await app.PostAsync(ok, Sign(ok), contentType: "text/plain")).Status.ShouldBe(415);
            (await app.PostAsync(big, Sign(big))).Status.ShouldBe(413);
            (await app.PostAsync(big, Sign(big), chunked: true)).Status.ShouldBe(413);
        }

        listener.RecordObservableInstruments();
        var list = measurements.ToArray();
        Dictionary<string, long> deliveries = list.Where(m => m.Instrument == "kobbopay.webhooks.deliveries")
            .GroupBy(m => (string)m.Tags["outcome"]!)
            .ToDictionary(g => g.Key, g => g.Sum(m => m.Value));
        deliveries.ShouldBe(new Dictionary<string, long>
        {
            ["processed"] = 1,
            ["duplicate"] = 1,
            ["handler_failed"] = 1,
            ["signature_invalid"] = 2,
            ["malformed"] = 1,
            ["unsupported_media_type"] = 1,
            ["too_large"] = 2,
        }, ignoreOrder: true);
        list.Where(m => m.Instrument == "kobbopay.webhooks.duplicates").Sum(m => m.Value).ShouldBe(1);
        list.Where(m => m.Instrument == "kobbopay.webhooks.handler_failures").Sum(m => m.Value).ShouldBe(1);
        list.Where(m => m.Instrument == "kobbopay.webhooks.signature_failures").Select(m => (string)m.Tags["reason"]!).Order()
            .ShouldBe(["header_missing", "no_secret_matched"]);
    }
}
