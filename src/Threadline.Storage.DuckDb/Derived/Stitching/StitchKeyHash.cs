using System.Buffers.Binary;
using System.Security.Cryptography;
using Threadline.Storage.Derived.Stitching;

namespace Threadline.Storage.DuckDb.Derived.Stitching;

/// <summary>
/// The lookup column of a key: the first 8 bytes of SHA-256 of its kind and text. A filter on a fixed-size UBIGINT
/// column is far cheaper than one on the text, and a number is safe to write into SQL as a literal. SHA-256 because it
/// is in the base library and hardware-accelerated; collisions only widen a lookup (the text is compared after).
/// </summary>
internal static class StitchKeyHash
{
    public static ulong Of(StitchKeyRef key)
    {
        var bytes = new byte[System.Text.Encoding.UTF8.GetMaxByteCount(key.Key.Length) + 1];
        bytes[0] = (byte)key.Kind;
        var length = System.Text.Encoding.UTF8.GetBytes(key.Key, 0, key.Key.Length, bytes, 1) + 1;
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes.AsSpan(0, length), hash);
        return BinaryPrimitives.ReadUInt64LittleEndian(hash);
    }
}
