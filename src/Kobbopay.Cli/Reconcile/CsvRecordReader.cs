using System.Buffers;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Kobbopay.Cli.Reconcile;

/// <summary>
/// Reads RFC 4180 records from a UTF-8 file, from a given byte offset, one at a time: fields separated by commas, records
/// by CRLF or LF; a field in double quotes may hold commas, quotes (doubled) and line breaks. Blank lines are skipped, and
/// a UTF-8 byte order mark at the start of the file too. Holds one buffer, grown only for a record longer than it, up to
/// <see cref="MaxRecordBytes"/>. A malformed record throws <see cref="InvalidDataException"/> naming the file and the line.
/// </summary>
internal sealed class CsvRecordReader
{
    /// <summary>The longest record read, in bytes: a longer one is malformed.</summary>
    public const int MaxRecordBytes = 1024 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly SafeFileHandle _file;
    private readonly string _path;
    private readonly ArrayBufferWriter<byte> _field = new();
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _endOfFile;

    /// <summary>Initializes a new instance of the <see cref="CsvRecordReader"/> class.</summary>
    /// <param name="file">The file, opened for reading; the reader reads it by offset and never moves a shared position.</param>
    /// <param name="path">The file's name, for messages.</param>
    /// <param name="offset">The byte offset to read from: 0, or a record's <see cref="CsvRecord.Offset"/>.</param>
    /// <param name="line">The line number at <paramref name="offset"/>.</param>
    /// <param name="bufferSize">The buffer's size to start with.</param>
    public CsvRecordReader(SafeFileHandle file, string path, long offset, long line, int bufferSize)
    {
        _file = file;
        _path = path;
        Position = offset;
        Line = line;
        _buffer = new byte[bufferSize];
    }

    /// <summary>Gets the byte offset of the next unread byte.</summary>
    public long Position { get; private set; }

    /// <summary>Gets the line number of the next unread byte.</summary>
    public long Line { get; private set; }

    /// <summary>Reads the next record.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The record, or <see langword="null"/> at the end of the file.</returns>
    /// <exception cref="InvalidDataException">The record is malformed.</exception>
    public async ValueTask<CsvRecord?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (Position == 0 && (_end - _start >= 3 || _endOfFile) && _buffer.AsSpan(_start, _end - _start).StartsWith("\uFEFF"u8))
            {
                Skip(3, 0);
            }

            if ((Position > 0 || _end - _start >= 3 || _endOfFile) && TryParse(out CsvRecord? record))
            {
                return record;
            }

            await FillAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= MaxRecordBytes)
            {
                throw Malformed(Line, $"a record is longer than {MaxRecordBytes} bytes (an unclosed quote?)");
            }

            Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, MaxRecordBytes));
        }

        int read = await RandomAccess.ReadAsync(_file, _buffer.AsMemory(_end), Position + _end - _start, cancellationToken).ConfigureAwait(false);
        _end += read;
        _endOfFile = read == 0;
    }

    /// <summary>Parses the record at the buffer's start; <see langword="false"/> when the buffer ends before the record does and the file has more.</summary>
    private bool TryParse(out CsvRecord? record)
    {
        record = null;
        ReadOnlySpan<byte> data = _buffer.AsSpan(_start, _end - _start);
        int i = 0;
        long line = Line;
        while (i < data.Length && data[i] is (byte)'\r' or (byte)'\n')
        {
            line += data[i] == '\n' || (i + 1 < data.Length && data[i + 1] != '\n') ? 1 : 0;
            i++;
        }

        if (i == data.Length)
        {
            if (_endOfFile)
            {
                Skip(i, line - Line);
            }

            return _endOfFile;
        }

        int recordStart = i;
        long recordLine = line;
        List<string> fields = new(4);
        while (true)
        {
            _field.Clear();
            if (data[i] == '"')
            {
                i++;
                while (true)
                {
                    int quote = data[i..].IndexOf((byte)'"');
                    if (quote < 0)
                    {
                        return _endOfFile ? throw Malformed(recordLine, "a quoted field is not closed") : false;
                    }

                    _field.Write(data.Slice(i, quote));
                    line += data.Slice(i, quote).Count((byte)'\n');
                    i += quote + 1;
                    if (i == data.Length && !_endOfFile)
                    {
                        return false;
                    }

                    if (i < data.Length && data[i] == '"')
                    {
                        _field.Write("\""u8);
                        i++;
                        continue;
                    }

                    break;
                }

                if (i < data.Length && data[i] is not ((byte)',' or (byte)'\r' or (byte)'\n'))
                {
                    throw Malformed(recordLine, $"field {fields.Count + 1} has text after its closing quote");
                }
            }
            else
            {
                int length = data[i..].IndexOfAny((byte)',', (byte)'\r', (byte)'\n');
                length = length < 0 ? data.Length - i : length;
                ReadOnlySpan<byte> text = data.Slice(i, length);
                if (text.Contains((byte)'"'))
                {
                    throw Malformed(recordLine, $"field {fields.Count + 1} holds a quote but is not quoted (RFC 4180: quote the field and double the quote)");
                }

                _field.Write(text);
                i += length;
            }

            fields.Add(Decode(recordLine, fields.Count + 1));
            if (i == data.Length)
            {
                if (!_endOfFile)
                {
                    return false;
                }

                break;
            }

            if (data[i] == ',')
            {
                i++;
                if (i == data.Length && !_endOfFile)
                {
                    return false;
                }

                if (i == data.Length)
                {
                    fields.Add(string.Empty);
                    break;
                }

                continue;
            }

            if (data[i] == '\r' && i + 1 == data.Length && !_endOfFile)
            {
                return false;
            }

            i += data[i] == '\r' && i + 1 < data.Length && data[i + 1] == '\n' ? 2 : 1;
            line++;
            break;
        }

        record = new CsvRecord(recordLine, Position + recordStart, fields);
        Skip(i, line - Line);
        return true;
    }

    private string Decode(long line, int field)
    {
        try
        {
            return StrictUtf8.GetString(_field.WrittenSpan);
        }
        catch (DecoderFallbackException)
        {
            throw Malformed(line, $"field {field} is not UTF-8 text");
        }
    }

    private void Skip(int bytes, long lines)
    {
        _start += bytes;
        Position += bytes;
        Line += lines;
    }

    private InvalidDataException Malformed(long line, string problem) => new($"{_path}, line {line}: {problem}.");
}
