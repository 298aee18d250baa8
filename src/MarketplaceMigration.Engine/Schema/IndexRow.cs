namespace MarketplaceMigration.Engine.Schema;

/// <summary>One row of <c>information_schema.STATISTICS</c>: one column (or expression) of one index.</summary>
public sealed record IndexRow
{
    /// <summary>TABLE_NAME.</summary>
    public string Table { get; init; } = string.Empty;

    /// <summary>INDEX_NAME.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>NON_UNIQUE = 1.</summary>
    public bool NonUnique { get; init; }

    /// <summary>SEQ_IN_INDEX.</summary>
    public int Sequence { get; init; }

    /// <summary>COLUMN_NAME (null for a functional key part).</summary>
    public string? Column { get; init; }

    /// <summary>COLLATION: A, D or null.</summary>
    public string? Collation { get; init; }

    /// <summary>SUB_PART: the prefix length.</summary>
    public long? SubPart { get; init; }

    /// <summary>INDEX_TYPE: BTREE, FULLTEXT, SPATIAL, HASH.</summary>
    public string IndexType { get; init; } = "BTREE";

    /// <summary>EXPRESSION (MySQL 8 functional key parts; MariaDB has none).</summary>
    public string? Expression { get; init; }
}
