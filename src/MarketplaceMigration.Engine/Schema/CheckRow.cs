namespace MarketplaceMigration.Engine.Schema;

/// <summary>One CHECK constraint (<c>information_schema.CHECK_CONSTRAINTS</c>).</summary>
public sealed record CheckRow
{
    /// <summary>The table it belongs to.</summary>
    public string Table { get; init; } = string.Empty;

    /// <summary>CONSTRAINT_NAME (MariaDB names a column-level check after its column).</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>CHECK_CLAUSE.</summary>
    public string Clause { get; init; } = string.Empty;
}
