using Microsoft.Extensions.Logging.Testing;

namespace Kobbopay.TestUtilities;

/// <summary>Reads a <see cref="FakeLogRecord"/> the way a log sink could, for tests that a secret never reaches one.</summary>
public static class FakeLogRecordExtensions
{
    /// <summary>
    /// Gets every text a sink could write from <paramref name="record"/>: the message, each structured key and value,
    /// each scope (as text and each of its pairs) and the exception with its inner exceptions and stack.
    /// </summary>
    /// <param name="record">The record to read.</param>
    /// <returns>The texts, in that order.</returns>
    public static IEnumerable<string> Texts(this FakeLogRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        yield return record.Message;
        foreach (KeyValuePair<string, string?> pair in record.StructuredState ?? [])
        {
            yield return $"{pair.Key}={pair.Value}";
        }

        foreach (object? scope in record.Scopes)
        {
            yield return scope?.ToString() ?? string.Empty;
            if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (KeyValuePair<string, object?> pair in pairs)
                {
                    yield return $"{pair.Key}={pair.Value}";
                }
            }
        }

        if (record.Exception is not null)
        {
            yield return record.Exception.ToString();
        }
    }

    /// <summary>Gets every text a sink could write from all of <paramref name="records"/>, see <see cref="Texts(FakeLogRecord)"/>.</summary>
    /// <param name="records">The records to read, usually a collector's snapshot.</param>
    /// <returns>The texts, record by record.</returns>
    public static IEnumerable<string> Texts(this IEnumerable<FakeLogRecord> records) => records.SelectMany(r => r.Texts());
}
