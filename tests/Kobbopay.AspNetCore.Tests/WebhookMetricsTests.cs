using Kobbopay.AspNetCore.Tests.TestSupport;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
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
        using MetricCollector<long> deliveries = Collect("kobbopay.webhooks.deliveries");
        using MetricCollector<long> duplicates = Collect("kobbopay.webhooks.duplicates");
        using MetricCollector<long> handlerFailures = Collect("kobbopay.webhooks.handler_failures");
        using MetricCollector<long> signatureFailures = Collect("kobbopay.webhooks.signature_failures");

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

        deliveries.GetMeasurementSnapshot()
            .GroupBy(m => (string)m.Tags["outcome"]!)
            .ToDictionary(g => g.Key, g => g.EvaluateAsCounter())
            .ShouldBe(new Dictionary<string, long>
            {
                ["processed"] = 1,
                ["duplicate"] = 1,
                ["handler_failed"] = 1,
                ["signature_invalid"] = 2,
                ["malformed"] = 1,
                ["unsupported_media_type"] = 1,
                ["too_large"] = 2,
            }, ignoreOrder: true);
        duplicates.GetMeasurementSnapshot().EvaluateAsCounter().ShouldBe(1);
        handlerFailures.GetMeasurementSnapshot().EvaluateAsCounter().ShouldBe(1);
        signatureFailures.GetMeasurementSnapshot().Select(m => (string)m.Tags["reason"]!).Order().ShouldBe(["header_missing", "no_secret_matched"]);
    }

    private static MetricCollector<long> Collect(string instrument) => new(meterScope: null, "Kobbopay.Webhooks", instrument);
}
