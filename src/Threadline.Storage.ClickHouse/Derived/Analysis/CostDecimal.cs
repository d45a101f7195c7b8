using System.Globalization;
using Threadline.Storage.ClickHouse.Client;
using Threadline.Storage.Derived.Analysis;

namespace Threadline.Storage.ClickHouse.Derived.Analysis;

/// <summary>
/// Costs in <c>Decimal128(24)</c> columns (<see cref="AnalyzedInvocationRow.CostScale"/> places): in RowBinary the
/// value times 10^24 as a little-endian 128-bit integer; in text answers a decimal with exactly 24 places, which is
/// kept exact (as that integer) when a sum is written back, and read as a <see cref="decimal"/> without trailing zeros.
/// </summary>
internal static class CostDecimal
{
    private const int Scale = AnalyzedInvocationRow.CostScale;

    public static Int128 Scaled(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(decimal.Round(value, Scale), bits);
        var mantissa = ((Int128)(uint)bits[2] << 64) | ((Int128)(uint)bits[1] << 32) | (uint)bits[0];
        var scale = (bits[3] >> 16) & 0xFF;
        for (var i = scale; i < Scale; i++)
            mantissa *= 10;
        return bits[3] < 0 ? -mantissa : mantissa;
    }

    /// <summary>A Decimal128(24) as ClickHouse writes it in text (<c>-1.500000000000000000000000</c>), exactly.</summary>
    public static Int128 ParseScaled(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var negative = text.StartsWith('-');
        var digits = negative ? text[1..] : text;
        var point = digits.IndexOf('.', StringComparison.Ordinal);
        var whole = point < 0 ? digits : digits[..point];
        var fraction = point < 0 ? "" : digits[(point + 1)..];
        fraction = fraction.Length >= Scale ? fraction[..Scale] : fraction.PadRight(Scale, '0');
        var value = Int128.Parse(whole + fraction, NumberStyles.None, CultureInfo.InvariantCulture);
        return negative ? -value : value;
    }

    /// <summary>A stored cost without the trailing zeros of its column (0.5, not 0.500000000000000000000000).</summary>
    public static decimal Parse(string text) =>
        decimal.Parse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) / 1.000000000000000000000000000000000m;

    public static RowBinaryWriter Decimal128(this RowBinaryWriter writer, Int128 scaled) => writer.UInt64((ulong)scaled).UInt64((ulong)(scaled >> 64));
}
