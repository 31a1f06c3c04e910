using Kobbopay.EventStore.Tests.TestSupport;

namespace Kobbopay.Reconciliation.Tests.Scheduling;

/// <summary>Scheduled reconciliation on a real PostgreSQL server: three app instances, one checkpoint, one run an interval.</summary>
[Collection(ScheduledCollection.Name)]
public sealed class PostgreSqlCheckpointTests
{
    [Fact]
    public async Task Three_instances_make_one_run_per_interval_and_hand_the_checkpoint_on()
    {
        string connectionString = PostgresDatabase.RequireConnectionString();
        using IDisposable server = await PostgresDatabase.ShareServerAsync(Ct);
        string job = "test-" + Guid.NewGuid().ToString("N");
        await using DataSources sources = new(connectionString);
        await using ScheduledScene scene = await ScheduledScene.StartAsync();
        // Paid two days ago and in the books as paid: outside every period from now on.
        scene.Order("o-old", "paid");
        string old = await scene.PayInAsync("o-old");
        scene.Simulator.Pay(old);
        scene.Time.Advance(TimeSpan.FromDays(2));
        DateTimeOffset start = scene.Time.GetUtcNow();
        for (int i = 0; i < 3; i++)
        {
            NpgsqlDataSource instanceSource = sources.Add();
            await scene.StartInstanceAsync(ScheduledScene.Hourly, b => b.UsePostgreSqlCheckpoints(instanceSource, job));
        }

        await scene.WhenRunsAsync(3);
        // Between two runs the gateway confirms the old payment; the books still say paid. Only the event export shows it.
        scene.Simulator.Confirm(old);
        scene.Time.Advance(TimeSpan.FromMinutes(30));
        await scene.WhenRunsAsync(6);
        scene.Time.Advance(TimeSpan.FromHours(1));
        await scene.WhenRunsAsync(9);
        scene.Time.Advance(TimeSpan.FromHours(1));
        await scene.WhenRunsAsync(12);

        Assert.Equal((4L, 8L, 0L), scene.Outcomes());
        ReconciliationSummary[] runs = scene.Summaries();
        DateTimeOffset eleven = start.AddMinutes(30);
        Assert.Equal(
            [start - ScheduledScene.Settle, eleven - ScheduledScene.Settle, eleven.AddHours(1) - ScheduledScene.Settle, eleven.AddHours(2) - ScheduledScene.Settle],
            runs.Select(r => r.To).ToArray());
        // Reported once: the run after the confirmation read it, the runs after that (whichever instance) continued from its checkpoint.
        Assert.Equal([0L, 1L, 0L, 0L], runs.Select(r => r.ChangedPaymentsChecked).ToArray());
        ReconciliationDiscrepancy mismatch = Assert.Single(scene.Reports.Exceptions);
        Assert.Equal((ReconciliationKinds.StatusMismatch, "o-old", "paid", "confirmed"), (mismatch.Kind, mismatch.OrderId, mismatch.Expected, mismatch.Actual));

        ReconciliationCheckpoint? saved = await new PostgreSqlReconciliationCheckpointStore(sources.Add(), job).ReadAsync(Ct);
        Assert.NotNull(saved);
        Assert.Equal((runs[^1].EventCheckpoint, runs[^1].To, eleven.AddHours(2)), (saved.EventCheckpoint, saved.ReconciledThrough, saved.StartedAt));
    }

    [Fact]
    public async Task The_lease_is_exclusive_until_saved_or_given_up_and_a_save_survives_a_new_store()
    {
        string job = "test-" + Guid.NewGuid().ToString("N");
        await using DataSources sources = new(PostgresDatabase.RequireConnectionString());
        using IDisposable server = await PostgresDatabase.ShareServerAsync(Ct);
        PostgreSqlReconciliationCheckpointStore first = new(sources.Add(), job);
        PostgreSqlReconciliationCheckpointStore second = new(sources.Add(), job);
        PostgreSqlReconciliationCheckpointStore otherJob = new(sources.Add(), job + "-other");
        DateTimeOffset at = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
        ReconciliationCheckpoint checkpoint = new("resume.abc.ZXZ0XzE", at, at.AddMinutes(1), at.AddMinutes(2));

        IReconciliationLease? held = await first.TryAcquireAsync(Ct);
        IReconciliationLease? contended = await second.TryAcquireAsync(Ct);
        IReconciliationLease? independent = await otherJob.TryAcquireAsync(Ct);
        Assert.NotNull(held);
        Assert.Null(held.Checkpoint);
        await held.SaveAsync(checkpoint, Ct);
        await held.DisposeAsync();
        await independent!.DisposeAsync();
        await using IReconciliationLease? after = await second.TryAcquireAsync(Ct);

        Assert.Null(contended);
        Assert.NotNull(after);
        Assert.Equal(checkpoint, after.Checkpoint);
        Assert.Equal(checkpoint, await new PostgreSqlReconciliationCheckpointStore(sources.Add(), job).ReadAsync(Ct));
        Assert.Null(await otherJob.ReadAsync(Ct));
    }


    /// <summary>One data source (one pool) per app instance, disposed after the hosts stop.</summary>
    private sealed class DataSources(string connectionString) : IAsyncDisposable
    {
        private readonly List<NpgsqlDataSource> _all = [];

        public NpgsqlDataSource Add()
        {
            NpgsqlDataSource source = NpgsqlDataSource.Create(connectionString);
            _all.Add(source);
            return source;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (NpgsqlDataSource source in _all)
            {
                await source.DisposeAsync();
            }
        }
    }
}
