namespace MarketplaceMigration.Engine.Schema;

/// <summary>What part of a table a schema difference is about.</summary>
public enum SchemaElementKind
{
    /// <summary>The table itself (presence, engine, default collation).</summary>
    Table,

    /// <summary>A column.</summary>
    Column,

    /// <summary>The primary key.</summary>
    PrimaryKey,

    /// <summary>A unique or secondary index.</summary>
    Index,

    /// <summary>A foreign key.</summary>
    ForeignKey,

    /// <summary>A CHECK constraint.</summary>
    Check,
}
