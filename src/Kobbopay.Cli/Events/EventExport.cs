using System.Globalization;
using System.Text;
using Kobbopay.Cli.Terminal;
using Kobbopay.Sdk;

namespace Kobbopay.Cli.Events;

/// <summary>
/// Streams the event export as JSON lines (the gateway's JSON, one event a line), a page at a time, and saves the
/// checkpoint after each page is written: a rerun from the saved checkpoint writes each event once, with no gap.
/// </summary>
/// <param name="client">The client.</param>
/// <param name="pageSize">Events a page (1 to 100).</param>
/// <param name="context">Where messages and progress (a status line, when standard error is a terminal) go.</param>
internal sealed class EventExport(KobbopayClient client, int pageSize, CliContext context)
{
    private readonly StatusLine? _status = StatusLine.For(context);

    /// <summary>Gets how many events were written.</summary>
    public long Written { get; private set; }

    /// <summary>Gets the checkpoint after the last page written.</summary>
    public ExportCheckpoint Checkpoint { get; private set; } = ExportCheckpoint.Start;

    /// <summary>Writes every event after <paramref name="from"/> to <paramref name="sink"/>.</summary>
    /// <param name="from">Where to start.</param>
    /// <param name="sink">Where the lines go; flushed after each page.</param>
    /// <param name="saveAsync">Persists the checkpoint after each page (a file), or does nothing.</param>
    /// <param name="cancellationToken">Stops the export between pages or during a call; <see cref="Checkpoint"/> stays where the last page left it.</param>
    /// <returns>A task that completes at the end of the export.</returns>
    public async Task RunAsync(ExportCheckpoint from, TextWriter sink, Func<ExportCheckpoint, CancellationToken, Task> saveAsync, CancellationToken cancellationToken)
    {
        try
        {
            await ExportAsync(from, sink, saveAsync, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // The count is printed with the cursor to continue from, which comes next.
            _status?.Clear();
        }
    }

    private async Task ExportAsync(ExportCheckpoint from, TextWriter sink, Func<ExportCheckpoint, CancellationToken, Task> saveAsync, CancellationToken cancellationToken)
    {
        Checkpoint = from;
        while (true)
        {
            Page<PaymentEvent> page = await client.GetEventsPageAsync(Checkpoint.ListOptions(pageSize), Checkpoint.PageCursor, cancellationToken).ConfigureAwait(false);

            // The page's lines (stdout may be the same terminal) and any warning go below no half-drawn count.
            _status?.Clear();

            // Events up to and including the one written last were written by the run that saved the checkpoint.
            int skip = Checkpoint.SkipCount(page.Data, out bool markFound);
            if (!markFound)
            {
                await context.Err.WriteLineAsync($"warning: the event written last ({Checkpoint.WrittenThrough}) is not on the page the cursor points to; writing the whole page, which may repeat events.").ConfigureAwait(false);
            }

            string? writtenThrough = Checkpoint.WrittenThrough;
            StringBuilder lines = new();
            foreach (PaymentEvent e in page.Data.Skip(skip))
            {
                lines.Append(Encoding.UTF8.GetString(KobbopaySerializer.SerializeToUtf8Bytes(e))).Append('\n');
                writtenThrough = ExportCheckpoint.MarkOf(e);
                Written++;
            }

            // The page is written whole, then the checkpoint saved: an interruption repeats at most this page's lines.
            await sink.WriteAsync(lines, cancellationToken).ConfigureAwait(false);
            await sink.FlushAsync(cancellationToken).ConfigureAwait(false);
            Checkpoint = Checkpoint.After(page.NextCursor, writtenThrough);
            await saveAsync(Checkpoint, cancellationToken).ConfigureAwait(false);
            _status?.Show(string.Create(CultureInfo.InvariantCulture, $"exported {Written} event(s)…"));
            if (page.NextCursor is null)
            {
                return;
            }
        }
    }
}
