namespace MarketplaceMigration.Engine.Schema;

/// <summary>One column of one foreign key (<c>KEY_COLUMN_USAGE</c> joined with <c>REFERENTIAL_CONSTRAINTS</c>).</summary>
public sealed record ForeignKeyRow
{
    /// <summary>TABLE_NAME.</summary>
    public string Table { get; init; } = string.Empty;

    /// <summary>CONSTRAINT_NAME.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>COLUMN_NAME.</summary>
    public string Column { get; init; } = string.Empty;

    /// <summary>ORDINAL_POSITION.</summary>
    public int Position { get; init; }

    /// <summary>REFERENCED_TABLE_NAME.</summary>
    public string ReferencedTable { get; init; } = string.Empty;

    /// <summary>REFERENCED_COLUMN_NAME.</summary>
    public string ReferencedColumn { get; init; } = string.Empty;

    /// <summary>UPDATE_RULE.</summary>
    public string UpdateRule { get; init; } = "RESTRICT";

    /// <summary>DELETE_RULE.</summary>
    public string DeleteRule { get; init; } = "RESTRICT";
}
