namespace MarketplaceMigration.Engine.Schema;

/// <summary>A column in canonical form (see <see cref="SchemaNormalizer"/>).</summary>
public sealed record ColumnDefinition
{
    /// <summary>Column name.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>1-based position in the table.</summary>
    public int Position { get; init; }

    /// <summary>Canonical type.</summary>
    public ColumnType Type { get; init; } = new();

    /// <summary>NULL allowed.</summary>
    public bool Nullable { get; init; }

    /// <summary>Canonical default: a quoted literal (<c>'a'</c>), a number, <c>b'1'</c> or an expression
    /// (<c>current_timestamp(3)</c>); null when there is none (a NULL default of a nullable column counts as none).</summary>
    public string? Default { get; init; }

    /// <summary>The ON UPDATE expression, canonical, or null.</summary>
    public string? OnUpdate { get; init; }

    /// <summary>AUTO_INCREMENT.</summary>
    public bool AutoIncrement { get; init; }

    /// <summary>Generated column kind.</summary>
    public GeneratedKind Generated { get; init; }

    /// <summary>Canonical generation expression, or null.</summary>
    public string? GenerationExpression { get; init; }

    /// <summary>Character set (utf8 spelled utf8mb3), or null for non-text types.</summary>
    public string? Charset { get; init; }

    /// <summary>Collation, or null for non-text types.</summary>
    public string? Collation { get; init; }
}
