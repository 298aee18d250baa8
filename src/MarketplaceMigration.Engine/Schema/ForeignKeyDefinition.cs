using System.Collections.Generic;
using System.Linq;
using MarketplaceMigration.Engine.Connections;

namespace MarketplaceMigration.Engine.Schema;

/// <summary>A foreign key, in canonical form (InnoDB's NO ACTION is spelled RESTRICT: they behave the same).</summary>
public sealed record ForeignKeyDefinition
{
    /// <summary>Constraint name.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>Referencing columns in order.</summary>
    public IReadOnlyList<string> Columns { get; init; } = new List<string>();

    /// <summary>Referenced table.</summary>
    public string ReferencedTable { get; init; } = string.Empty;

    /// <summary>Referenced columns in order.</summary>
    public IReadOnlyList<string> ReferencedColumns { get; init; } = new List<string>();

    /// <summary>ON UPDATE rule.</summary>
    public string OnUpdate { get; init; } = "RESTRICT";

    /// <summary>ON DELETE rule.</summary>
    public string OnDelete { get; init; } = "RESTRICT";

    /// <summary>Columns as SQL.</summary>
    public string ColumnsText => string.Join(", ", Columns.Select(SqlIdentifier.Quote));

    /// <summary>Referenced columns as SQL.</summary>
    public string ReferencedColumnsText => string.Join(", ", ReferencedColumns.Select(SqlIdentifier.Quote));

    /// <summary>Same definition, whatever the name.</summary>
    public bool SameShape(ForeignKeyDefinition other) =>
        string.Equals(ColumnsText, other.ColumnsText, System.StringComparison.OrdinalIgnoreCase)
        && string.Equals(ReferencedTable, other.ReferencedTable, System.StringComparison.OrdinalIgnoreCase)
        && string.Equals(ReferencedColumnsText, other.ReferencedColumnsText, System.StringComparison.OrdinalIgnoreCase)
        && OnUpdate == other.OnUpdate
        && OnDelete == other.OnDelete;
}
