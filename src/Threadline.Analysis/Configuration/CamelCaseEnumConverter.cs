using System.Text.Json;
using System.Text.Json.Serialization;

namespace Threadline.Analysis.Configuration;

/// <summary>Enums as camelCase strings (<c>newIssue</c>), in the rule file and in API answers alike.</summary>
public sealed class CamelCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.CamelCase)
    where TEnum : struct, Enum;
