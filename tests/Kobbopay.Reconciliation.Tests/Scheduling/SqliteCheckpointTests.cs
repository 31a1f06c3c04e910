using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Kobbopay.Reconciliation.Tests.Scheduling;

/// <summary>The checkpoint in a real SQLite file: a lease in the row, taken over only once expired; a restart finds the run.</summary>
[Collection(ScheduledCollection.Name)]
public sealed class SqliteCheckpointTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"kobbopay-reconciliation-{Guid.NewGuid():N}.db");

    [Fact]
    public async Task The_lease_holds_until_saved_or_expired_and_the_checkpoint_outlives_the_store()
    {
        FakeTimeProvider time = new(ScheduledScene.Epoch);
        DbDataSource file = SqliteFactory.Instance.CreateDataSource($"Data Source={_file}");
        SqliteReconciliationCheckpointStore first = new(file, leaseDuration: TimeSpan.FromMinutes(10), timeProvider: time);
        SqliteReconciliationCheckpointStore second = new(file, leaseDuration: TimeSpan.FromMinutes(10), timeProvider: time);
        ReconciliationCheckpoint checkpoint = new("resume.abc.ZXZ0XzE", time.GetUtcNow(), time.GetUtcNow(), time.GetUtcNow().AddSeconds(2));

        IReconciliationLease? held = await first.TryAcquireAsync(Ct);
        IReconciliationLease? contended = await second.TryAcquireAsync(Ct);
        await held!.SaveAsync(checkpoint, Ct);
        await held.DisposeAsync();
        IReconciliationLease? abandoned = await second.TryAcquireAsync(Ct);
        IReconciliationLease? whileAbandoned = await first.TryAcquireAsync(Ct);
        time.Advance(TimeSpan.FromMinutes(10));
        await using IReconciliationLease? takenOver = await first.TryAcquireAsync(Ct);
        InvalidOperationException late = await Assert.ThrowsAsync<InvalidOperationException>(() => abandoned!.SaveAsync(checkpoint with { EventCheckpoint = "later" }, Ct).AsTask());

        Assert.Null(contended);
        Assert.Null(whileAbandoned);
        Assert.Equal(checkpoint, abandoned!.Checkpoint);
        Assert.Equal(checkpoint, takenOver!.Checkpoint);
        Assert.StartsWith("The reconciliation lease of job 'default' expired (00:10:00 after it was taken)", late.Message, StringComparison.Ordinal);
        Assert.Equal(checkpoint, await new SqliteReconciliationCheckpointStore(SqliteFactory.Instance.CreateDataSource($"Data Source={_file}")).ReadAsync(Ct));
    }

    [Fact]
    public async Task An_instance_started_again_in_the_same_interval_finds_the_run_in_the_file_and_skips()
    {
        await using ScheduledScene scene = await ScheduledScene.StartAsync();
        DbDataSource file = SqliteFactory.Instance.CreateDataSource($"Data Source={_file}");
        await scene.StartInstanceAsync(ScheduledScene.Hourly, b => b.UseSqliteCheckpoints(file));
        await scene.WhenRunsAsync(1);
        await scene.StartInstanceAsync(ScheduledScene.Hourly, b => b.UseSqliteCheckpoints(file));
        await scene.WhenRunsAsync(2);

        scene.Time.Advance(TimeSpan.FromMinutes(30));
        await scene.WhenRunsAsync(4);

        Assert.Equal((2L, 2L, 0L), scene.Outcomes());
        Assert.Equal(
            [ScheduledScene.Epoch - ScheduledScene.Settle, ScheduledScene.Epoch.AddMinutes(30) - ScheduledScene.Settle],
            scene.Summaries().Select(s => s.To).ToArray());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(_file);
    }
}
