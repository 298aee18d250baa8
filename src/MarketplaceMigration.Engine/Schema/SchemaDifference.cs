namespace MarketplaceMigration.Engine.Schema;

/// <summary>
/// One difference between the Shopware and the cluster definition of a data-plane table: which
/// table and element, which aspect, both values (as canonical SQL text; <c>present</c>/<c>missing</c>
/// for presence) and whether it stops a move.
/// </summary>
public sealed class SchemaDifference
{
    /// <summary>Creates a difference.</summary>
    public SchemaDifference(
        string table,
        SchemaElementKind kind,
        string? element,
        string aspect,
        string? shopwareValue,
        string? clusterValue,
        DifferenceSeverity severity,
        string message
    )
    {
        Table = table;
        Kind = kind;
        Element = element;
        Aspect = aspect;
        ShopwareValue = shopwareValue;
        ClusterValue = clusterValue;
        Severity = severity;
        Message = message;
    }

    /// <summary>The data-plane table.</summary>
    public string Table { get; }

    /// <summary>Table, column, primary key, index, foreign key or check.</summary>
    public SchemaElementKind Kind { get; }

    /// <summary>The column, index, foreign key or check name (null for the table itself).</summary>
    public string? Element { get; }

    /// <summary>What differs (see <see cref="SchemaAspect"/>).</summary>
    public string Aspect { get; }

    /// <summary>The value on the Shopware endpoint (null: none).</summary>
    public string? ShopwareValue { get; }

    /// <summary>The value on the cluster endpoint (null: none).</summary>
    public string? ClusterValue { get; }

    /// <summary>Error stops schema_check; Warning is reported only.</summary>
    public DifferenceSeverity Severity { get; }

    /// <summary>One sentence for people.</summary>
    public string Message { get; }

    /// <summary>The message.</summary>
    public override string ToString() => Message;
}
