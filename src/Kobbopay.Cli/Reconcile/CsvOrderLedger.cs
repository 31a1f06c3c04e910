using System.Globalization;
using System.Runtime.CompilerServices;
using Kobbopay.Reconciliation;
using Microsoft.Win32.SafeHandles;

namespace Kobbopay.Cli.Reconcile;

/// <summary>
/// The merchant's books as a CSV file (RFC 4180, UTF-8): a header row <c>orderId,amount,currency,status</c>, then one
/// order a record; the amount an invariant decimal above zero (<c>10.50</c>), the status the merchant's own, read through
/// the run's <see cref="OrderStatusMapping"/>.
/// </summary>
/// <remarks>
/// <para><see cref="OpenAsync"/> scans the file once, record by record: it validates every record (the header, four fields,
/// an order id, an amount, a currency, a status, no order id twice) and keeps an index of order id to the record's byte
/// offset and line: the ids only, never the orders. A malformed record fails the open, naming the file and the line,
/// before anything is reconciled.</para>
/// <para><see cref="GetOrdersAsync"/> streams the file again record by record; <see cref="FindOrderAsync"/> reads the one
/// record at its indexed offset. The file has no order times: every order in it is an order of the period, so export the
/// orders of the period you reconcile. The file must not change during a run; a record no longer where the index says fails the run.</para>
/// </remarks>
internal sealed class CsvOrderLedger : IOrderLedger, IDisposable
{
    private const int StreamBufferSize = 64 * 1024;
    private const int LookupBufferSize = 1024;
    private static readonly string[] Header = ["orderId", "amount", "currency", "status"];

    private readonly SafeFileHandle _file;
    private readonly string _path;
    private readonly long _ordersOffset;
    private readonly long _ordersLine;
    private readonly Dictionary<string, (long Offset, long Line)> _index;

    private CsvOrderLedger(SafeFileHandle file, string path, long ordersOffset, long ordersLine, Dictionary<string, (long Offset, long Line)> index)
    {
        _file = file;
        _path = path;
        _ordersOffset = ordersOffset;
        _ordersLine = ordersLine;
        _index = index;
    }

    /// <summary>Gets the header row the file must start with.</summary>
    public static string HeaderRow => string.Join(',', Header);

    /// <summary>Gets how many orders the file holds.</summary>
    public int Count => _index.Count;

    /// <summary>Opens the file, validates every record and indexes the order ids.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the scan.</param>
    /// <returns>The ledger; dispose it to close the file.</returns>
    /// <exception cref="InvalidDataException">The file cannot be read or a record is malformed; the message names the file and the line.</exception>
    public static async Task<CsvOrderLedger> OpenAsync(string path, CancellationToken cancellationToken)
    {
        SafeFileHandle file;
        try
        {
            file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path} cannot be read: {ex.Message}", ex);
        }

        try
        {
            CsvRecordReader reader = new(file, path, 0, 1, StreamBufferSize);
            CsvRecord header = await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidDataException($"{path}, line 1: the file is empty; it must start with the header {HeaderRow}.");
            if (!header.Fields.SequenceEqual(Header, StringComparer.OrdinalIgnoreCase))
            {
                throw new InvalidDataException($"{path}, line {header.Line}: the header must be {HeaderRow}; it is {string.Join(',', header.Fields)}.");
            }

            long ordersOffset = reader.Position;
            long ordersLine = reader.Line;
            Dictionary<string, (long Offset, long Line)> index = new(StringComparer.Ordinal);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false) is { } record)
            {
                LedgerOrder order = ToOrder(path, record);
                if (!index.TryAdd(order.OrderId, (record.Offset, record.Line)))
                {
                    throw new InvalidDataException($"{path}, line {record.Line}: order {order.OrderId} is already on line {index[order.OrderId].Line}; an order id appears once.");
                }
            }

            return new CsvOrderLedger(file, path, ordersOffset, ordersLine, index);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Streams every order of the file, record by record, whatever the period: the file has no order times.</summary>
    /// <param name="from">Not used: every order in the file is of the period.</param>
    /// <param name="to">Not used.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The orders, in file order.</returns>
    public async IAsyncEnumerable<LedgerOrder> GetOrdersAsync(DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        CsvRecordReader reader = new(_file, _path, _ordersOffset, _ordersLine, StreamBufferSize);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false) is { } record)
        {
            yield return ToOrder(_path, record);
        }
    }

    /// <summary>Finds an order by id through the index: one record read at its offset.</summary>
    /// <param name="orderId">The order id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The order, or <see langword="null"/> when the file has none with that id.</returns>
    /// <exception cref="InvalidDataException">The file changed since it was opened.</exception>
    public async ValueTask<LedgerOrder?> FindOrderAsync(string orderId, CancellationToken cancellationToken)
    {
        if (!_index.TryGetValue(orderId, out (long Offset, long Line) at))
        {
            return null;
        }

        CsvRecordReader reader = new(_file, _path, at.Offset, at.Line, LookupBufferSize);
        CsvRecord? record = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        LedgerOrder? order = record is null ? null : ToOrder(_path, record);
        return order?.OrderId == orderId
            ? order
            : throw new InvalidDataException($"{_path} changed during the run: line {at.Line} no longer holds order {orderId}.");
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _file.Dispose();

    private static LedgerOrder ToOrder(string path, CsvRecord record)
    {
        IReadOnlyList<string> fields = record.Fields;
        decimal amount = 0m;
        string? problem = fields.Count != Header.Length
            ? string.Create(CultureInfo.InvariantCulture, $"{fields.Count} field(s); a record has {Header.Length}: {HeaderRow}")
            : fields[0].Length == 0 ? "orderId is empty"
            : !decimal.TryParse(fields[1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out amount) ? $"amount '{fields[1]}' is not an invariant decimal such as 10.50"
            : amount <= 0m ? $"amount {fields[1]} must be more than 0"
            : fields[2].Length == 0 ? "currency is empty"
            : fields[3].Length == 0 ? "status is empty"
            : null;
        return problem is null
            ? new LedgerOrder(fields[0], amount, fields[2], fields[3])
            : throw new InvalidDataException($"{path}, line {record.Line}: {problem}.");
    }
}
