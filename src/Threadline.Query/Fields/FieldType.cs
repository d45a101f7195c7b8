namespace Threadline.Query.Fields;

/// <summary>How a field's values are written and compared; decides the operators and values it accepts.</summary>
public enum FieldType
{
    /// <summary>A string: <c>:</c> and <c>!=</c> with an exact value, <c>prefix*</c>, <c>*contains*</c> or <c>*</c>.</summary>
    Keyword,
    /// <summary>An id: <c>:</c> and <c>!=</c> with an exact id, an id prefix <c>3f2a*</c> or <c>*</c>.</summary>
    Id,
    /// <summary>A W3C trace id: 32 hex digits, or a hex prefix; written in lower case.</summary>
    TraceId,
    /// <summary><c>ok</c> or <c>error</c>.</summary>
    Status,
    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean,
    /// <summary>A duration such as <c>500ms</c>; every comparison.</summary>
    Duration,
    /// <summary>An attribute: the value's form picks the comparison: a number (every comparison), <c>true</c>/<c>false</c>,
    /// or a string (quoted, or anything else bare) with the keyword patterns.</summary>
    Attribute,
}

public enum AttributeScope
{
    /// <summary><c>attr.</c>: an attribute of any span of the invocation.</summary>
    Span,
    /// <summary><c>resource.</c>: an attribute of the resource that sent the spans.</summary>
    Resource,
}

public static class AttributeScopes
{
    public static string Prefix(this AttributeScope scope) => scope == AttributeScope.Span ? "attr." : "resource.";
}
