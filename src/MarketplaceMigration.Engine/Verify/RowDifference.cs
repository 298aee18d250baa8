namespace MarketplaceMigration.Engine.Verify;

/// <summary>One row that differs between source and target, by primary key (like Vitess VDiff).</summary>
public sealed class RowDifference
{
    /// <summary>Creates a row difference.</summary>
    public RowDifference(string table, string key, RowDifferenceKind kind)
    {
        Table = table;
        Key = key;
        Kind = kind;
    }

    /// <summary>The table.</summary>
    public string Table { get; }

    /// <summary>The primary key: its values, comma-separated; binary as 0x hex.</summary>
    public string Key { get; }

    /// <summary>Missing in target, extra in target, or different.</summary>
    public RowDifferenceKind Kind { get; }

    /// <summary><c>flyokai_seller (0x01...): Different</c>.</summary>
    public override string ToString() => $"{Table} ({Key}): {Kind}";
}
