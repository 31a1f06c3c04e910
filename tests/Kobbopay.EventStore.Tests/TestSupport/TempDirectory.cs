namespace Kobbopay.EventStore.Tests.TestSupport;

/// <summary>A fresh directory under the system's temp directory, deleted with its files afterwards.</summary>
public sealed class TempDirectory : IDisposable
{
    private int _files;

    /// <summary>Gets the directory's path.</summary>
    public string Path { get; } = Directory.CreateTempSubdirectory("kobbopay-eventstore-").FullName;

    /// <summary>Returns the path of a database file not used before in this directory.</summary>
    public string NextFile(string prefix = "events") => System.IO.Path.Combine(Path, $"{prefix}_{Interlocked.Increment(ref _files)}.db");

    /// <inheritdoc/>
    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
