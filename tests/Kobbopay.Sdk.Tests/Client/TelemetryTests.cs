using System.Diagnostics;
using System.Diagnostics.Metrics;
using Kobbopay.Sdk.Tests.TestSupport;
using Kobbopay.Simulator;
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
        var measurements = new List<(string Instrument, double Value, string? Outcome)>();
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Kobbopay.Sdk")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        meters.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        meters.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        meters.Start();
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
        lock (measurements)
        {
            measurements.Count(m => m.Instrument == "kobbopay.client.requests" && m.Outcome == "success").ShouldBe(20);
            measurements.Count(m => m.Instrument == "kobbopay.client.request.duration").ShouldBe(20);
            measurements.Where(m => m.Instrument == "kobbopay.client.retries").Sum(m => m.Value).ShouldBe(attempts - 20);
        }

        attempts.ShouldBeGreaterThan(20, "the seeded faults forced retries");
        lock (activities)
        {
            activities.Count(a => a.OperationName == "kobbopay POST").ShouldBe(20);
            activities.ShouldAllBe(a => a.GetTagItem("http.response.status_code") as int? == 201);
        }

        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? outcome = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "outcome")
                {
                    outcome = tag.Value as string;
                }
            }

            lock (measurements)
            {
                measurements.Add((instrument.Name, value, outcome));
            }
        }
    }
}
