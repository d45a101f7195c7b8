using System.Buffers.Binary;
using System.Security.Cryptography;
using Google.Protobuf;
using Threadline.Ingest.Protocol.Common;
using Threadline.Telemetry;
using OtlpResource = Threadline.Ingest.Protocol.Resource.Resource;

namespace Threadline.Ingest.Normalize;

/// <summary>
/// Builds resource and scope records with a content id: the first 8 bytes of SHA-256 over the message's
/// protobuf encoding (deterministic for equal content), so the store keeps each distinct one once.
/// </summary>
internal static class ResourceScopeFactory
{
    public const string UnknownService = "unknown_service";

    public static ResourceRecord CreateResource(OtlpResource? resource, string schemaUrl)
    {
        resource ??= new OtlpResource();
        var attributes = AnyValueConverter.ToAttributes(resource.Attributes);
        var service = UnknownService;
        foreach (var attribute in attributes)
        {
            if (attribute.Key == "service.name" && attribute.Value is string name && name.Length > 0)
                service = name;
        }
        var id = ContentId(resource, schemaUrl);
        return new ResourceRecord(id, service, attributes, NormalizationLimits.OptionalText(schemaUrl),
            resource.DroppedAttributesCount + AnyValueConverter.Excess(resource.Attributes));
    }

    public static ScopeRecord CreateScope(InstrumentationScope? scope)
    {
        scope ??= new InstrumentationScope();
        return new ScopeRecord(
            ContentId(scope, string.Empty),
            NormalizationLimits.Text(scope.Name),
            NormalizationLimits.OptionalText(scope.Version),
            AnyValueConverter.ToAttributes(scope.Attributes),
            scope.DroppedAttributesCount + AnyValueConverter.Excess(scope.Attributes));
    }

    private static ulong ContentId(IMessage message, string salt)
    {
        var size = message.CalculateSize();
        var buffer = new byte[size + System.Text.Encoding.UTF8.GetByteCount(salt)];
        message.WriteTo(buffer.AsSpan(0, size));
        System.Text.Encoding.UTF8.GetBytes(salt, buffer.AsSpan(size));
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(buffer, hash);
        return BinaryPrimitives.ReadUInt64BigEndian(hash);
    }
}
