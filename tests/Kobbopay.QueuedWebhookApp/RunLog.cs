namespace Kobbopay.QueuedWebhookApp;

/// <summary>The handler's effect: one line per run in a file, written through to the operating system before the run returns.</summary>
internal sealed class RunLog(string path, int completeFirst)
{
    private readonly Lock _gate = new();
    private int _runs;

    /// <summary>Counts a run; tells whether it may complete (one of the first <c>completeFirst</c> of this process).</summary>
    public bool MayComplete()
    {
        lock (_gate)
        {
            return ++_runs <= completeFirst;
        }
    }

    public void Append(string eventId)
    {
        lock (_gate)
        {
            File.AppendAllText(path, eventId + "\n");
        }
    }
}
