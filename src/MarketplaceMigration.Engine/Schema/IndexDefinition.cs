using System.Collections.Generic;
using System.Linq;

namespace MarketplaceMigration.Engine.Schema;

/// <summary>An index or the primary key, in canonical form.</summary>
public sealed record IndexDefinition
{
    /// <summary>Index name (PRIMARY for the primary key).</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>UNIQUE (always true for the primary key).</summary>
    public bool Unique { get; init; }

    /// <summary>BTREE, FULLTEXT, SPATIAL or HASH.</summary>
    public string IndexType { get; init; } = "BTREE";

    /// <summary>Key parts in order.</summary>
    public IReadOnlyList<IndexPart> Parts { get; init; } = new List<IndexPart>();

    /// <summary>Whether this is the primary key.</summary>
    public bool IsPrimary => Name == "PRIMARY";

    /// <summary>Key parts as SQL: <c>`a`, `b`(10) DESC</c>.</summary>
    public string PartsText => string.Join(", ", Parts.Select(p => p.ToString()));

    /// <summary>Same definition, whatever the name.</summary>
    public bool SameShape(IndexDefinition other) =>
        Unique == other.Unique
        && IndexType == other.IndexType
        && string.Equals(PartsText, other.PartsText, System.StringComparison.OrdinalIgnoreCase);
}
