using System.Buffers;
using System.Globalization;
using System.Text;

namespace Threadline.Storage.ClickHouse.Client;

/// <summary>
/// Reads a TabSeparatedWithNamesAndTypes answer row by row from the response stream. In this format a raw tab
/// always separates fields and a raw newline always ends a row (the server escapes both inside values as <c>\t</c>
/// and <c>\n</c>), so a row is found by bytes alone and a value is unescaped only when it is read. NULL is <c>\N</c>.
/// Arrays arrive as ClickHouse literals (<c>[1,2]</c>, <c>['a','b\'c']</c>) inside the field. Text is decoded as
/// UTF-8 with U+FFFD for bytes that are not valid UTF-8.
/// </summary>
public sealed class TabSeparatedReader
{
    private readonly Stream _stream;
    private readonly string _query;
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private bool _endOfStream;
    private readonly List<(int Start, int Length)> _fields = [];
    private byte[] _row = new byte[4 * 1024];
    private readonly ArrayBufferWriter<byte> _scratch = new(256);

    internal TabSeparatedReader(Stream stream, string query)
    {
        _stream = stream;
        _query = query;
    }

    public IReadOnlyList<string> Names { get; private set; } = [];

    public IReadOnlyList<string> Types { get; private set; } = [];

    internal async ValueTask ReadHeaderAsync(CancellationToken cancellationToken)
    {
        if (!await ReadLineAsync(cancellationToken).ConfigureAwait(false))
            throw new ClickHouseServerException(0, "the answer ended before its header", _query);
        Names = Enumerable.Range(0, _fields.Count).Select(GetString).ToList();
        if (!await ReadLineAsync(cancellationToken).ConfigureAwait(false))
            throw new ClickHouseServerException(0, "the answer ended before its header", _query);
        Types = Enumerable.Range(0, _fields.Count).Select(GetString).ToList();
    }

    /// <summary>Moves to the next row; false at the end of the answer.</summary>
    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        if (!await ReadLineAsync(cancellationToken).ConfigureAwait(false))
            return false;
        // An error the server meets after it sent 200 (while streaming a large answer) is appended to the body as
        // text after the last whole row; such a line is an error only if the answer ends right after it.
        if (_row.AsSpan(0, Math.Min(6, LineLength)).SequenceEqual("Code: "u8) && await EndsWithinBufferAsync(cancellationToken).ConfigureAwait(false))
        {
            var text = System.Text.Encoding.UTF8.GetString(_row, 0, LineLength) + "\n" + System.Text.Encoding.UTF8.GetString(_buffer, _start, _end - _start);
            if (ClickHouseErrorText.TryParse(text, out var code, out var message))
                throw new ClickHouseServerException(code, message, _query);
        }
        if (_fields.Count != Names.Count)
            throw new ClickHouseServerException(0, $"a row has {_fields.Count} fields, the header {Names.Count}", _query);
        return true;
    }

    private int LineLength => _fields.Count == 0 ? 0 : _fields[^1].Start + _fields[^1].Length;

    /// <summary>Reads ahead (without consuming) as far as the buffer holds; true when the answer ends there.</summary>
    private async ValueTask<bool> EndsWithinBufferAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        while (!_endOfStream && _end < _buffer.Length)
        {
            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
                _endOfStream = true;
            _end += read;
        }
        return _endOfStream;
    }

    public int FieldCount => _fields.Count;

    public bool IsNull(int field)
    {
        var (start, length) = _fields[field];
        return length == 2 && _row[start] == (byte)'\\' && _row[start + 1] == (byte)'N';
    }

    public string GetString(int field) => System.Text.Encoding.UTF8.GetString(Unescape(field));

    public string? GetNullableString(int field) => IsNull(field) ? null : GetString(field);

    /// <summary>The value's bytes as stored (a String column may hold bytes that are not UTF-8).</summary>
    public byte[] GetBytes(int field) => Unescape(field).ToArray();

    public ulong GetUInt64(int field) => ulong.Parse(Raw(field), NumberStyles.None, CultureInfo.InvariantCulture);

    public long GetInt64(int field) => long.Parse(Raw(field), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    public long? GetNullableInt64(int field) => IsNull(field) ? null : GetInt64(field);

    public uint GetUInt32(int field) => uint.Parse(Raw(field), NumberStyles.None, CultureInfo.InvariantCulture);

    public byte GetByte(int field) => byte.Parse(Raw(field), NumberStyles.None, CultureInfo.InvariantCulture);

    public double GetDouble(int field) => Raw(field) switch
    {
        "nan" or "-nan" => double.NaN,
        "inf" or "+inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        var text => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    /// <summary>An Array(String) or Array(Nullable(String)) value.</summary>
    public IReadOnlyList<string?> GetStringArray(int field) => ArrayLiteral.Parse(RawBytes(field));

    /// <summary>An Array of integers.</summary>
    public IReadOnlyList<long> GetInt64Array(int field) =>
        ArrayLiteral.Parse(RawBytes(field)).Select(e => long.Parse(e!, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)).ToList();

    public IReadOnlyList<ulong> GetUInt64Array(int field) =>
        ArrayLiteral.Parse(RawBytes(field)).Select(e => ulong.Parse(e!, NumberStyles.None, CultureInfo.InvariantCulture)).ToList();

    private string Raw(int field)
    {
        var (start, length) = _fields[field];
        return System.Text.Encoding.ASCII.GetString(_row, start, length);
    }

    // An array is written as its literal, whose strings carry their own escapes (a tab inside is already \t), and is
    // not escaped a second time for TSV: it is parsed as it came.
    private ReadOnlySpan<byte> RawBytes(int field)
    {
        var (start, length) = _fields[field];
        return _row.AsSpan(start, length);
    }

    private ReadOnlySpan<byte> Unescape(int field)
    {
        var (start, length) = _fields[field];
        var raw = _row.AsSpan(start, length);
        if (raw.IndexOf((byte)'\\') < 0)
            return raw;
        _scratch.ResetWrittenCount();
        var output = _scratch.GetSpan(length);
        var n = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            var b = raw[i];
            if (b != (byte)'\\' || i + 1 == raw.Length)
            {
                output[n++] = b;
                continue;
            }
            var next = raw[++i];
            output[n++] = next switch
            {
                (byte)'n' => (byte)'\n',
                (byte)'t' => (byte)'\t',
                (byte)'r' => (byte)'\r',
                (byte)'b' => (byte)'\b',
                (byte)'f' => (byte)'\f',
                (byte)'0' => 0,
                (byte)'a' => 7,
                (byte)'v' => 11,
                _ => next,
            };
        }
        return output[..n];
    }

    /// <summary>Fills <see cref="_row"/> and <see cref="_fields"/> with the next line; false at the end.</summary>
    private async ValueTask<bool> ReadLineAsync(CancellationToken cancellationToken)
    {
        _fields.Clear();
        var rowLength = 0;
        var fieldStart = 0;
        while (true)
        {
            if (_start == _end)
            {
                if (_endOfStream || !await FillAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (rowLength == 0)
                        return false;
                    _fields.Add((fieldStart, rowLength - fieldStart));
                    return true;
                }
            }
            var available = _buffer.AsSpan(_start, _end - _start);
            var stop = available.IndexOfAny((byte)'\t', (byte)'\n');
            var take = stop < 0 ? available.Length : stop;
            EnsureRowCapacity(rowLength + take);
            available[..take].CopyTo(_row.AsSpan(rowLength));
            rowLength += take;
            _start += take;
            if (stop < 0)
                continue;
            _fields.Add((fieldStart, rowLength - fieldStart));
            fieldStart = rowLength;
            var separator = _buffer[_start++];
            if (separator == (byte)'\n')
                return true;
        }
    }

    private void EnsureRowCapacity(int length)
    {
        if (length > _row.Length)
            Array.Resize(ref _row, Math.Max(length, _row.Length * 2));
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        _start = 0;
        _end = 0;
        var read = await _stream.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            _endOfStream = true;
            return false;
        }
        _end = read;
        return true;
    }
}
