using DuckDB.NET.Data;

namespace Threadline.Storage.DuckDb.Write;

/// <summary>
/// Appends text columns as UTF-8 bytes encoded into one reused buffer. DuckDB.NET's string overload marshals
/// every value into a native allocation of its own behind a SafeHandle, eight per span on the ingest path.
/// One instance per writer: it is not thread-safe.
/// </summary>
internal sealed class Utf8Text
{
    private byte[] _buffer = new byte[16 * 1024];

    public IDuckDBAppenderRow Append(IDuckDBAppenderRow row, string? text)
    {
        if (text is null)
            return row.AppendNullValue();
        var needed = System.Text.Encoding.UTF8.GetMaxByteCount(text.Length);
        if (needed > _buffer.Length)
            _buffer = new byte[Math.Max(needed, _buffer.Length * 2)];
        var length = System.Text.Encoding.UTF8.GetBytes(text, _buffer);
        return row.AppendValue(_buffer.AsSpan(0, length));
    }
}
