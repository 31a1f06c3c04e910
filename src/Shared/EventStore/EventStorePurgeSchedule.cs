using Microsoft.Extensions.Logging;

namespace Kobbopay.EventStore.Internal;

/// <summary>
/// A store's retention: removes records of events completed longer than the retention ago, on demand and, unless the
/// interval is <see cref="TimeSpan.Zero"/>, every interval on the store's clock in the background. A background purge
/// never overlaps the previous one; its failure is logged as a warning and the next tick tries again.
/// </summary>
internal sealed class EventStorePurgeSchedule : IDisposable, IAsyncDisposable
{
    private readonly Func<DateTimeOffset, CancellationToken, ValueTask<int>> _purge;
    private readonly TimeSpan _retention;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _timeProvider;
    private readonly string _database;
    private readonly ILogger _logger;
    private readonly ITimer? _timer;
    private Task _background = Task.CompletedTask;
    private int _purging;
    private volatile bool _stopped;

    /// <summary>Initializes a new instance of the <see cref="EventStorePurgeSchedule"/> class and starts its timer.</summary>
    /// <param name="purge">Removes records of events completed before a time; returns how many.</param>
    /// <param name="retention">How long records of completed events are kept.</param>
    /// <param name="interval">How often to purge in the background; <see cref="TimeSpan.Zero"/> for never.</param>
    /// <param name="timeProvider">The store's clock.</param>
    /// <param name="database">The database as logs name it.</param>
    /// <param name="logger">Where to log.</param>
    public EventStorePurgeSchedule(
        Func<DateTimeOffset, CancellationToken, ValueTask<int>> purge,
        TimeSpan retention,
        TimeSpan interval,
        TimeProvider timeProvider,
        string database,
        ILogger logger)
    {
        _purge = purge;
        _retention = retention;
        _interval = interval;
        _timeProvider = timeProvider;
        _database = database;
        _logger = logger;
        if (interval > TimeSpan.Zero)
        {
            _timer = timeProvider.CreateTimer(static state => ((EventStorePurgeSchedule)state!).PurgeInBackground(), this, interval, interval);
        }
    }

    /// <summary>Gets the purge the timer started last (completed when none ran yet), for a test to await instead of polling.</summary>
    internal Task Background => Volatile.Read(ref _background);

    /// <summary>Removes records of events completed longer ago than the retention, and logs how many when any.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many records were removed.</returns>
    public async ValueTask<int> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset cutoff = _timeProvider.GetUtcNow() - _retention;
        int removed = await _purge(cutoff, cancellationToken).ConfigureAwait(false);
        if (removed > 0)
        {
            EventStoreLog.Purged(_logger, _database, removed, cutoff);
        }

        return removed;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _stopped = true;
        _timer?.Dispose();
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _stopped = true;
        return _timer?.DisposeAsync() ?? default;
    }

    private void PurgeInBackground()
    {
        if (_stopped || Interlocked.Exchange(ref _purging, 1) == 1)
        {
            return;
        }

        Volatile.Write(ref _background, Task.Run(async () =>
        {
            try
            {
                await PurgeExpiredAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                // The store closed while purging; nothing left to do.
            }
            catch (Exception ex)
            {
                EventStoreLog.PurgeFailed(_logger, ex, _database, _interval);
            }
            finally
            {
                Volatile.Write(ref _purging, 0);
            }
        }));
    }
}
