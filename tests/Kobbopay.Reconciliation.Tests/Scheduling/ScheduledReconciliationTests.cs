using Microsoft.Extensions.Options;

namespace Kobbopay.Reconciliation.Tests.Scheduling;

/// <summary><c>AddKobbopayReconciliation</c>: the hosted service on a fake clock, with the in-memory checkpoint store.</summary>
[Collection(ScheduledCollection.Name)]
public sealed class ScheduledReconciliationTests
{
    [Fact]
    public async Task It_runs_at_start_then_once_per_interval_on_the_clock_and_counts_exceptions_by_kind()
    {
        await using ScheduledScene scene = await ScheduledScene.StartAsync();
        scene.Ledger.Add(new LedgerOrder("o-missing", 10.50m, "USDT", "pending"), ScheduledScene.Epoch.AddMinutes(-20));
        await scene.StartInstanceAsync(ScheduledScene.Hourly);
        await scene.WhenRunsAsync(1);

        scene.Time.Advance(TimeSpan.FromMinutes(29)); // 10:59: still the first run's interval
        scene.Time.Advance(TimeSpan.FromMinutes(1)); // 11:00
        await scene.WhenRunsAsync(2);

        // The second period ends a settle time before eleven: the run woke at eleven, not at 10:59.
        Assert.Equal((2L, 0L, 0L), scene.Outcomes());
        ReconciliationSummary[] runs = scene.Summaries();
        Assert.Equal(
            [(ScheduledScene.Epoch - ScheduledScene.Settle - TimeSpan.FromDays(1), ScheduledScene.Epoch - ScheduledScene.Settle), (Eleven - ScheduledScene.Settle - TimeSpan.FromDays(1), Eleven - ScheduledScene.Settle)],
            runs.Select(r => (r.From, r.To)).ToArray());
        Assert.All(scene.Reports.Exceptions, e => Assert.Equal((ReconciliationKinds.MissingPayment, "o-missing"), (e.Kind, e.OrderId)));
        Assert.Equal(2, scene.Reports.Exceptions.Count);
        Assert.Equal([(ReconciliationKinds.MissingPayment, 1L), (ReconciliationKinds.MissingPayment, 1L)], scene.Exceptions.GetMeasurementSnapshot().Select(m => ((string)m.Tags["kind"]!, m.Value)).ToArray());
        Assert.Equal(ScheduledScene.Settle.TotalSeconds, scene.Lag.LastMeasurement!.Value);
    }

    [Fact]
    public async Task A_failed_run_is_counted_and_the_next_interval_runs_from_the_checkpoint_that_stands()
    {
        await using ScheduledScene scene = await ScheduledScene.StartAsync();
        scene.Ledger.FailNextRead = new InvalidOperationException("The books are offline.");
        await scene.StartInstanceAsync(ScheduledScene.Hourly);
        await scene.WhenRunsAsync(1);

        scene.Time.Advance(TimeSpan.FromMinutes(30));
        await scene.WhenRunsAsync(2);

        Assert.Equal((1L, 0L, 1L), scene.Outcomes());
        Assert.Equal([Eleven - ScheduledScene.Settle], scene.Summaries().Select(s => s.To).ToArray());
    }

    [Theory]
    [InlineData("Interval", "Kobbopay:Reconciliation:Interval must be between 1 second and 30 days; it is 00:00:00.")]
    [InlineData("Lookback", "Kobbopay:Reconciliation:Lookback must be between 1 minute and 30 days; it is 00:00:30.")]
    [InlineData("SettleTime", "Kobbopay:Reconciliation:SettleTime must be shorter than Lookback (1.00:00:00); it is 1.00:00:00.")]
    public async Task A_bad_setting_stops_the_host_at_start_naming_it(string setting, string message)
    {
        await using ScheduledScene scene = await ScheduledScene.StartAsync();

        OptionsValidationException refused = await Assert.ThrowsAsync<OptionsValidationException>(() => scene.StartInstanceAsync(o =>
        {
            ScheduledScene.Hourly(o);
            switch (setting)
            {
                case "Interval": o.Interval = TimeSpan.Zero; break;
                case "Lookback":
                    o.Lookback = TimeSpan.FromSeconds(30);
                    o.SettleTime = TimeSpan.Zero;
                    break;
                default: o.SettleTime = TimeSpan.FromDays(1); break;
            }
        }));

        Assert.Equal([message], refused.Failures);
    }

    [Fact]
    public async Task Without_books_the_host_does_not_start_and_says_what_to_register()
    {
        await using ScheduledScene scene = await ScheduledScene.StartAsync();

        InvalidOperationException refused = await Assert.ThrowsAsync<InvalidOperationException>(() => scene.StartInstanceAsync(ScheduledScene.Hourly, withLedger: false));

        Assert.StartsWith("AddKobbopayReconciliation needs the merchant's books: register an IOrderLedger", refused.Message, StringComparison.Ordinal);
    }

    private static DateTimeOffset Eleven => ScheduledScene.Epoch.AddMinutes(30);
}
