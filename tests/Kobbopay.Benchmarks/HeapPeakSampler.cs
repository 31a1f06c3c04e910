namespace Kobbopay.Benchmarks;

/// <summary>
/// The highest managed heap size (<see cref="GC.GetTotalMemory(bool)"/> without a collection: live objects and
/// garbage not yet collected) seen while it runs, read on a thread of its own every interval and once more on stop;
/// and the highest heap size a collection left (<see cref="GCMemoryInfo.HeapSizeBytes"/> of the last collection, when
/// one happened since the start): what stays live, without the garbage the collector's budget lets pile up.
/// </summary>
internal sealed class HeapPeakSampler : IDisposable
{
    private readonly ManualResetEventSlim _stop = new();
    private readonly Thread _thread;
    private readonly TimeSpan _interval;
    private readonly long _startIndex;
    private long _peak;

    private HeapPeakSampler(TimeSpan interval)
    {
        _interval = interval;
        _peak = GC.GetTotalMemory(false);
        _startIndex = GC.GetGCMemoryInfo().Index;
        _thread = new Thread(Sample) { IsBackground = true, Name = "heap-peak-sampler" };
        _thread.Start();
    }

    /// <summary>Gets how many readings were taken.</summary>
    public int Samples { get; private set; }

    /// <summary>Gets the highest heap size a collection during the run left, in bytes; 0 when none ran.</summary>
    public long PeakAfterCollection { get; private set; }

    public static HeapPeakSampler Start(TimeSpan interval) => new(interval);

    /// <summary>Stops sampling and returns the peak, in bytes.</summary>
    public long Stop()
    {
        _stop.Set();
        _thread.Join();
        Read();
        return _peak;
    }

    public void Dispose()
    {
        _stop.Set();
        _thread.Join();
        _stop.Dispose();
    }

    private void Sample()
    {
        while (!_stop.Wait(_interval))
        {
            Read();
        }
    }

    private void Read()
    {
        _peak = Math.Max(_peak, GC.GetTotalMemory(false));
        GCMemoryInfo last = GC.GetGCMemoryInfo();
        if (last.Index > _startIndex)
        {
            PeakAfterCollection = Math.Max(PeakAfterCollection, last.HeapSizeBytes);
        }

        Samples++;
    }
}
