using System.Diagnostics;
using Kobbopay.Sdk.Resilience;
using Kobbopay.Sdk.Tests.TestSupport;
using Kobbopay.Simulator;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using static Kobbopay.Sdk.Tests.TestSupport.ClientFixture;

namespace Kobbopay.Sdk.Tests.Client;

[CollectionDefinition(nameof(TelemetryCollection), DisableParallelization = true)]
public sealed class TelemetryCollection;

/// <summary>The client's activities and metrics, named Kobbopay.Sdk. Runs alone: the instruments are process-wide.</summary>
[Collection(nameof(TelemetryCollection))]
public sealed class TelemetryTests
{
    [Fact]
    public async Task Calls_AreCountedTimedAndTraced_RetriesIncluded()
    {
        await using var sim = await KobbopaySimulator.StartAsync(new KobbopaySimulatorOptions
        {
            Faults = new SimulatorFaultOptions { Seed = 11, UnavailableRate = 0.4 },
        }, Ct);
        var client = NewClient(sim, o => o.Resilience.MaxRetryAttempts = 15);
        using var requests = new MetricCollector<long>(KobbopayTelemetry.Requests);
        using var durations = new MetricCollector<double>(KobbopayTelemetry.RequestDuration);
        using var retries = new MetricCollector<long>(KobbopayTelemetry.Retries);
        var activities = new List<Activity>();
        using var tracing = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "Kobbopay.Sdk",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = a => { lock (activities) { activities.Add(a); } },
        };
        ActivitySource.AddActivityListener(tracing);

        for (int i = 0; i < 20; i++)
        {
            await client.CreatePaymentAsync(Request($"o-{i}"), cancellationToken: Ct);
        }

        int attempts = sim.Requests.Count;
        requests.GetMeasurementSnapshot().EvaluateAsCounter().ShouldBe(20);
        requests.GetMeasurementSnapshot().ContainsTags(new KeyValuePair<string, object?>("outcome", "success")).EvaluateAsCounter().ShouldBe(20);
        durations.GetMeasurementSnapshot().Count.ShouldBe(20);
        retries.GetMeasurementSnapshot().EvaluateAsCounter().ShouldBe(attempts - 20);

        attempts.ShouldBeGreaterThan(20, "the seeded faults forced retries");
        lock (activities)
        {
            activities.Count(a => a.OperationName == "kobbopay POST").ShouldBe(20);
            activities.ShouldAllBe(a => a.GetTagItem("http.response.status_code") as int? == 201);
        }
    }
}
