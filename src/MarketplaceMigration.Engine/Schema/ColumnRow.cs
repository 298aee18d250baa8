namespace MarketplaceMigration.Engine.Schema;

/// <summary>One row of <c>information_schema.COLUMNS</c>, as the server spelled it.</summary>
public sealed record ColumnRow
{
    /// <summary>TABLE_NAME.</summary>
    public string Table { get; init; } = string.Empty;

    /// <summary>COLUMN_NAME.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>ORDINAL_POSITION.</summary>
    public int Position { get; init; }

    /// <summary>COLUMN_DEFAULT (null when SQL NULL).</summary>
    public string? Default { get; init; }

    /// <summary>IS_NULLABLE = 'YES'.</summary>
    public bool Nullable { get; init; }

    /// <summary>DATA_TYPE.</summary>
    public string DataType { get; init; } = string.Empty;

    /// <summary>COLUMN_TYPE.</summary>
    public string ColumnType { get; init; } = string.Empty;

    /// <summary>CHARACTER_MAXIMUM_LENGTH.</summary>
    public long? CharacterMaximumLength { get; init; }

    /// <summary>NUMERIC_PRECISION.</summary>
    public long? NumericPrecision { get; init; }

    /// <summary>NUMERIC_SCALE.</summary>
    public long? NumericScale { get; init; }

    /// <summary>DATETIME_PRECISION.</summary>
    public long? DatetimePrecision { get; init; }

    /// <summary>CHARACTER_SET_NAME.</summary>
    public string? CharacterSet { get; init; }

    /// <summary>COLLATION_NAME.</summary>
    public string? Collation { get; init; }

    /// <summary>EXTRA.</summary>
    public string Extra { get; init; } = string.Empty;

    /// <summary>GENERATION_EXPRESSION.</summary>
    public string? GenerationExpression { get; init; }
}
