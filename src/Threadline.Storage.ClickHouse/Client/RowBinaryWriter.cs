using System.Buffers;
using System.Buffers.Binary;

namespace Threadline.Storage.ClickHouse.Client;

/// <summary>
/// Builds an INSERT body in ClickHouse's RowBinary format: each row is its columns' values back to back in the
/// column order of the INSERT; integers little-endian, strings as a LEB128 length and UTF-8 bytes (a string that is
/// not valid UTF-16, such as a lone surrogate, is stored with U+FFFD in its place), Nullable as one byte (1 = NULL)
/// before the value, arrays as a LEB128 count and the elements. Nothing is escaped, so any byte survives.
/// </summary>
public sealed class RowBinaryWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);

    public int RowCount { get; private set; }

    public ReadOnlyMemory<byte> Written => _buffer.WrittenMemory;

    /// <summary>Counts a row; call once per row after its values.</summary>
    public void EndRow() => RowCount++;

    public RowBinaryWriter UInt8(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
        return this;
    }

    public RowBinaryWriter UInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
        return this;
    }

    public RowBinaryWriter UInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
        return this;
    }

    public RowBinaryWriter Int64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
        return this;
    }

    public RowBinaryWriter Float64(double value)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
        return this;
    }

    public RowBinaryWriter String(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var length = System.Text.Encoding.UTF8.GetByteCount(value);
        Length(length);
        var written = System.Text.Encoding.UTF8.GetBytes(value, _buffer.GetSpan(length));
        _buffer.Advance(written);
        return this;
    }

    /// <summary>Raw bytes into a String column (ClickHouse strings are bytes; they need not be UTF-8).</summary>
    public RowBinaryWriter Bytes(ReadOnlySpan<byte> value)
    {
        Length(value.Length);
        value.CopyTo(_buffer.GetSpan(value.Length));
        _buffer.Advance(value.Length);
        return this;
    }

    public RowBinaryWriter NullableString(string? value) => value is null ? UInt8(1) : UInt8(0).String(value);

    public RowBinaryWriter NullableInt64(long? value) => value is { } v ? UInt8(0).Int64(v) : UInt8(1);

    /// <summary>Starts an Array column: its element count; the caller writes that many elements after it.</summary>
    public RowBinaryWriter ArrayLength(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Length(count);
        return this;
    }

    private void Length(int value)
    {
        var span = _buffer.GetSpan(5);
        var n = 0;
        var v = (uint)value;
        while (v >= 0x80)
        {
            span[n++] = (byte)(v | 0x80);
            v >>= 7;
        }
        span[n++] = (byte)v;
        _buffer.Advance(n);
    }
}
