using System.Text;
using Kobbopay.Reconciliation;

namespace Kobbopay.Cli.Reconcile;

/// <summary>
/// The <c>--json</c> and <c>--csv</c> report files of one run, written through the reconciler's own sinks as exceptions
/// are found. A run that fails leaves no report behind: <see cref="DiscardAsync"/> deletes what was written.
/// </summary>
internal sealed class ReportFiles : IAsyncDisposable
{
    private readonly List<IReconciliationSink> _sinks = [];
    private readonly List<IAsyncDisposable> _open = [];
    private readonly List<string> _paths = [];

    private ReportFiles()
    {
    }

    /// <summary>Gets the sinks that write the files.</summary>
    public IReadOnlyList<IReconciliationSink> Sinks => _sinks;

    /// <summary>Creates (or replaces) the report files asked for.</summary>
    /// <param name="json">The JSON report's path, or <see langword="null"/>.</param>
    /// <param name="csv">The CSV report's path, or <see langword="null"/>.</param>
    /// <returns>The files.</returns>
    /// <exception cref="InvalidDataException">A file cannot be created; the message names it.</exception>
    public static ReportFiles Create(string? json, string? csv)
    {
        ReportFiles files = new();
        try
        {
            if (json is not null)
            {
                FileStream stream = files.CreateFile(json);
                JsonReconciliationSink sink = new(stream, indented: true);
                files._open.Insert(0, sink);
                files._sinks.Add(sink);
            }

            if (csv is not null)
            {
                StreamWriter writer = new(files.CreateFile(csv), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
                files._open.Insert(0, writer);
                files._sinks.Add(new CsvReconciliationSink(writer));
            }

            return files;
        }
        catch
        {
            // Nothing was written yet: closing and deleting completes at once.
            files.DiscardAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    /// <summary>Closes and deletes the files: the run failed and its reports would be partial.</summary>
    /// <returns>A task that completes when they are deleted.</returns>
    public async ValueTask DiscardAsync()
    {
        await DisposeAsync().ConfigureAwait(false);
        foreach (string path in _paths)
        {
            File.Delete(path);
        }
    }

    /// <summary>Closes the files.</summary>
    /// <returns>A task that completes when they are closed.</returns>
    public async ValueTask DisposeAsync()
    {
        foreach (IAsyncDisposable open in _open)
        {
            await open.DisposeAsync().ConfigureAwait(false);
        }

        _open.Clear();
    }

    private FileStream CreateFile(string path)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 4096, FileOptions.Asynchronous);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path} cannot be written: {ex.Message}", ex);
        }

        _paths.Add(path);
        _open.Insert(0, stream);
        return stream;
    }
}
