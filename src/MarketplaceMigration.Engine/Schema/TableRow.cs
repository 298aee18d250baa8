namespace MarketplaceMigration.Engine.Schema;

/// <summary>One base table (<c>information_schema.TABLES</c>).</summary>
public sealed record TableRow
{
    /// <summary>TABLE_NAME.</summary>
    public string Table { get; init; } = string.Empty;

    /// <summary>ENGINE.</summary>
    public string? Engine { get; init; }

    /// <summary>TABLE_COLLATION: the table's default collation.</summary>
    public string? Collation { get; init; }
}
