using System.Globalization;
using System.Text;

namespace Kobbopay.Reconciliation;

/// <summary>
/// Writes exceptions as CSV (RFC 4180: a header row, CRLF line ends, a field with a comma, quote or line break quoted,
/// quotes doubled): <c>kind,orderId,paymentIds,expected,actual,detail,history</c>. Several payment ids are separated by
/// spaces; the history is one field, its events separated by <c>; </c> as <c>sequence type time status received</c>,
/// each led by its payment id when the exception concerns several payments (<c>pay_… sequence type …</c>).
/// The summary is not part of the table. The writer stays open: it is the caller's.
/// </summary>
public sealed class CsvReconciliationSink : IReconciliationSink
{
    private static readonly string[] Header = ["kind", "orderId", "paymentIds", "expected", "actual", "detail", "history"];
    private static readonly char[] Special = [',', '"', '\r', '\n'];

    private readonly TextWriter _writer;
    private bool _started;

    /// <summary>Initializes a new instance of the <see cref="CsvReconciliationSink"/> class.</summary>
    /// <param name="writer">Where the table goes; left open.</param>
    public CsvReconciliationSink(TextWriter writer) => _writer = Guard.NotNull(writer);

    /// <inheritdoc/>
    public async ValueTask WriteAsync(ReconciliationDiscrepancy exception, CancellationToken cancellationToken)
    {
        Guard.NotNull(exception);
        await StartAsync(cancellationToken).ConfigureAwait(false);
        bool several = exception.PaymentIds.Count > 1;
        string history = string.Join("; ", exception.History.Select(e => several ? e.PaymentId + " " + Event(e) : Event(e)));
        await WriteRowAsync([exception.Kind, exception.OrderId, string.Join(' ', exception.PaymentIds), exception.Expected, exception.Actual, exception.Detail, history], cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask CompleteAsync(ReconciliationSummary summary, CancellationToken cancellationToken)
    {
        Guard.NotNull(summary);
        await StartAsync(cancellationToken).ConfigureAwait(false);
        await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Quotes a field as RFC 4180 says: only when it holds a comma, a quote or a line break.</summary>
    internal static string Field(string? value) =>
        value is null ? string.Empty
        : value.IndexOfAny(Special) < 0 ? value
        : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>One event of a history as <c>sequence type time status received</c>.</summary>
    private static string Event(PaymentHistoryEntry entry) => string.Join(
        ' ',
        entry.Sequence?.ToString(CultureInfo.InvariantCulture) ?? "-",
        entry.Type,
        entry.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        entry.Status ?? "-",
        entry.AmountReceived ?? "-");

    private async ValueTask StartAsync(CancellationToken cancellationToken)
    {
        if (!_started)
        {
            _started = true;
            await WriteRowAsync(Header, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask WriteRowAsync(IEnumerable<string?> fields, CancellationToken cancellationToken)
    {
        StringBuilder line = new();
        line.AppendJoin(',', fields.Select(Field)).Append("\r\n");
        await _writer.WriteAsync(line, cancellationToken).ConfigureAwait(false);
    }
}
