using System.Text.Json;

namespace Kobbopay.Reconciliation;

/// <summary>
/// Writes a report as one JSON document, streamed as exceptions arrive:
/// <c>{"exceptions":[{"kind":…,"orderId":…,"paymentIds":[…],"expected":…,"actual":…,"detail":…,"history":[…]}],"summary":{…}}</c>.
/// The stream stays open: it is the caller's.
/// </summary>
public sealed class JsonReconciliationSink : IReconciliationSink, IAsyncDisposable
{
    private readonly Utf8JsonWriter _writer;
    private bool _started;

    /// <summary>Initializes a new instance of the <see cref="JsonReconciliationSink"/> class.</summary>
    /// <param name="stream">Where the document goes; left open.</param>
    /// <param name="indented"><see langword="true"/> to indent the document for a person.</param>
    public JsonReconciliationSink(Stream stream, bool indented = false)
    {
        Guard.NotNull(stream);
        _writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented });
    }

    /// <inheritdoc/>
    public async ValueTask WriteAsync(ReconciliationDiscrepancy exception, CancellationToken cancellationToken)
    {
        Guard.NotNull(exception);
        Start();
        JsonSerializer.Serialize(_writer, exception, ReconciliationJsonContext.Default.ReconciliationDiscrepancy);
        await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask CompleteAsync(ReconciliationSummary summary, CancellationToken cancellationToken)
    {
        Guard.NotNull(summary);
        Start();
        _writer.WriteEndArray();
        _writer.WritePropertyName("summary");
        JsonSerializer.Serialize(_writer, summary, ReconciliationJsonContext.Default.ReconciliationSummary);
        _writer.WriteEndObject();
        await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Releases the writer (not the stream).</summary>
    /// <returns>A task that completes when the writer is released.</returns>
    public ValueTask DisposeAsync() => _writer.DisposeAsync();

    private void Start()
    {
        if (!_started)
        {
            _started = true;
            _writer.WriteStartObject();
            _writer.WriteStartArray("exceptions");
        }
    }
}
