using System.Collections.Generic;

namespace MarketplaceMigration.Engine.Schema;

/// <summary>A table in canonical form.</summary>
public sealed record TableDefinition
{
    /// <summary>Table name.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>Storage engine (InnoDB).</summary>
    public string? Engine { get; init; }

    /// <summary>Default collation of the table.</summary>
    public string? Collation { get; init; }

    /// <summary>Columns in position order.</summary>
    public IReadOnlyList<ColumnDefinition> Columns { get; init; } = new List<ColumnDefinition>();

    /// <summary>The primary key, or null.</summary>
    public IndexDefinition? PrimaryKey { get; init; }

    /// <summary>Unique and secondary indexes, by name.</summary>
    public IReadOnlyList<IndexDefinition> Indexes { get; init; } = new List<IndexDefinition>();

    /// <summary>Foreign keys, by name.</summary>
    public IReadOnlyList<ForeignKeyDefinition> ForeignKeys { get; init; } = new List<ForeignKeyDefinition>();

    /// <summary>CHECK constraints, by name.</summary>
    public IReadOnlyList<CheckDefinition> Checks { get; init; } = new List<CheckDefinition>();
}
