namespace MarketplaceMigration.Engine.Schema;

/// <summary>Whether and how a column is generated.</summary>
public enum GeneratedKind
{
    /// <summary>An ordinary column.</summary>
    None,

    /// <summary>Computed on read.</summary>
    Virtual,

    /// <summary>Computed on write and stored.</summary>
    Stored,
}
