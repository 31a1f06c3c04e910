namespace Kobbopay.AspNetCore.Internal;

/// <summary>
/// Counts events over the last <c>window</c>, in a fixed ring of buckets: memory stays constant however many events
/// arrive (a flood of forged deliveries costs a few longs), and the count is exact to one bucket's width. Thread-safe.
/// </summary>
internal sealed class SlidingWindowCounter
{
    private readonly object _lock = new();
    private readonly TimeProvider _time;
    private readonly long _bucketTicks;
    private readonly long[] _counts;
    private readonly long[] _buckets; // which bucket (time / width) each slot counts; a stale slot is reset on reuse

    /// <summary>Initializes a new instance of the <see cref="SlidingWindowCounter"/> class.</summary>
    /// <param name="window">How far back the count reaches.</param>
    /// <param name="buckets">How many slots the window is cut into: its resolution.</param>
    /// <param name="time">The clock.</param>
    public SlidingWindowCounter(TimeSpan window, int buckets, TimeProvider time)
    {
        _time = time;
        _bucketTicks = Math.Max(1, window.Ticks / buckets);
        _counts = new long[buckets];
        _buckets = new long[buckets];
        Array.Fill(_buckets, long.MinValue);
    }

    /// <summary>Counts one event now.</summary>
    public void Increment()
    {
        long bucket = Bucket();
        int slot = Slot(bucket);
        lock (_lock)
        {
            if (_buckets[slot] != bucket)
            {
                _buckets[slot] = bucket;
                _counts[slot] = 0;
            }

            _counts[slot]++;
        }
    }

    /// <summary>Gets how many events were counted within the window up to now.</summary>
    /// <returns>The count.</returns>
    public long Count()
    {
        long newest = Bucket();
        long oldest = newest - _counts.Length + 1;
        long total = 0;
        lock (_lock)
        {
            for (int i = 0; i < _counts.Length; i++)
            {
                if (_buckets[i] >= oldest && _buckets[i] <= newest)
                {
                    total += _counts[i];
                }
            }
        }

        return total;
    }

    private long Bucket() => _time.GetUtcNow().UtcTicks / _bucketTicks;

    private int Slot(long bucket) => (int)(bucket % _counts.Length);
}
