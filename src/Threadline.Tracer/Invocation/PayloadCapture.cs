using Threadline.Tracer.Json;

namespace Threadline.Tracer.Invocation;

/// <summary>
/// Gets the bytes of an event or return value. A Stream is read once and, when it cannot be rewound, replaced
/// by a buffered copy so the handler (or the Lambda runtime) still reads it from the start.
/// </summary>
internal static class PayloadCapture
{
    public static byte[]? Bytes<T>(ref T value)
    {
        if (value is not Stream stream)
            return PayloadJson.ToUtf8(value);
        if (stream.CanSeek)
        {
            var start = stream.Position;
            var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            stream.Position = start;
            return buffer.ToArray();
        }
        var copy = new MemoryStream();
        stream.CopyTo(copy);
        copy.Position = 0;
        value = (T)(object)copy;
        return copy.ToArray();
    }
}
