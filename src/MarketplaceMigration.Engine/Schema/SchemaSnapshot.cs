using System.Collections.Generic;

namespace MarketplaceMigration.Engine.Schema;

/// <summary>
/// What information_schema says about a set of tables on one server, unnormalised. Captured snapshots
/// of MariaDB and MySQL 8 drive the normaliser's unit tests.
/// </summary>
public sealed record SchemaSnapshot
{
    /// <summary>The server that produced the rows.</summary>
    public ServerFlavor Flavor { get; init; } = new(ServerProduct.MySql, string.Empty);

    /// <summary>Base tables found.</summary>
    public IReadOnlyList<TableRow> Tables { get; init; } = new List<TableRow>();

    /// <summary>Columns.</summary>
    public IReadOnlyList<ColumnRow> Columns { get; init; } = new List<ColumnRow>();

    /// <summary>Index key parts.</summary>
    public IReadOnlyList<IndexRow> Indexes { get; init; } = new List<IndexRow>();

    /// <summary>Foreign key columns.</summary>
    public IReadOnlyList<ForeignKeyRow> ForeignKeys { get; init; } = new List<ForeignKeyRow>();

    /// <summary>Check constraints.</summary>
    public IReadOnlyList<CheckRow> Checks { get; init; } = new List<CheckRow>();
}
