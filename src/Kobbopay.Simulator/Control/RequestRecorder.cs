namespace Kobbopay.Simulator.Internal;

/// <summary>A bounded, thread-safe log of the requests the simulator received, oldest dropped first.</summary>
internal sealed class RequestRecorder(int capacity)
{
    private readonly Lock _gate = new();
    private readonly Queue<RecordedRequest> _items = new();
    private long _sequence;

    public long NextSequence() => Interlocked.Increment(ref _sequence);

    public void Add(RecordedRequest request)
    {
        if (capacity == 0)
        {
            return;
        }

        lock (_gate)
        {
            if (_items.Count == capacity)
            {
                _items.Dequeue();
            }

            _items.Enqueue(request);
        }
    }

    public IReadOnlyList<RecordedRequest> Snapshot(int? last = null)
    {
        lock (_gate)
        {
            IEnumerable<RecordedRequest> items = _items.OrderBy(r => r.Sequence);
            if (last is { } n && n < _items.Count)
            {
                items = items.Skip(_items.Count - n);
            }

            return [.. items];
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _items.Clear();
        }
    }
}
