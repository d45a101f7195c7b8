using Threadline.Query.Fields;

namespace Threadline.Query.Syntax;

/// <summary>What a term compares: a field of the catalogue, or a span or resource attribute by key.</summary>
public abstract record QueryField
{
    /// <summary>The field as the canonical query text writes it.</summary>
    public abstract string Name { get; }
}

public sealed record CatalogField(FieldDefinition Definition) : QueryField
{
    public override string Name => Definition.Name;
}

/// <summary><c>attr.&lt;key&gt;</c> (any span's attribute) or <c>resource.&lt;key&gt;</c>; the key is case-sensitive.</summary>
public sealed record AttributeField(AttributeScope Scope, string Key) : QueryField
{
    public override string Name => Scope.Prefix() + Key;
}
