namespace MarketplaceMigration.Engine.Schema;

/// <summary>The stable names of the aspects a schema difference can be about (they are part of the output contract).</summary>
public static class SchemaAspect
{
    /// <summary>The element exists on one end only (values: present, missing).</summary>
    public const string Presence = nameof(Presence);

    /// <summary>Table storage engine.</summary>
    public const string Engine = nameof(Engine);

    /// <summary>Table default collation.</summary>
    public const string DefaultCollation = nameof(DefaultCollation);

    /// <summary>Base data type (int vs bigint, varchar vs text, json vs longtext).</summary>
    public const string DataType = nameof(DataType);

    /// <summary>Length of char, varchar, binary, varbinary, bit.</summary>
    public const string Length = nameof(Length);

    /// <summary>Decimal precision.</summary>
    public const string Precision = nameof(Precision);

    /// <summary>Decimal scale.</summary>
    public const string Scale = nameof(Scale);

    /// <summary>Fractional seconds of time types.</summary>
    public const string FractionalSeconds = nameof(FractionalSeconds);

    /// <summary>UNSIGNED.</summary>
    public const string Unsigned = nameof(Unsigned);

    /// <summary>ZEROFILL.</summary>
    public const string Zerofill = nameof(Zerofill);

    /// <summary>Members of an enum or set.</summary>
    public const string Values = nameof(Values);

    /// <summary>NULL allowed.</summary>
    public const string Nullable = nameof(Nullable);

    /// <summary>Default value.</summary>
    public const string Default = nameof(Default);

    /// <summary>ON UPDATE expression.</summary>
    public const string OnUpdate = nameof(OnUpdate);

    /// <summary>AUTO_INCREMENT.</summary>
    public const string AutoIncrement = nameof(AutoIncrement);

    /// <summary>Generated column kind (none, virtual, stored).</summary>
    public const string Generated = nameof(Generated);

    /// <summary>Generation expression.</summary>
    public const string GenerationExpression = nameof(GenerationExpression);

    /// <summary>Character set.</summary>
    public const string Charset = nameof(Charset);

    /// <summary>Collation.</summary>
    public const string Collation = nameof(Collation);

    /// <summary>Column position.</summary>
    public const string Position = nameof(Position);

    /// <summary>Unique or not.</summary>
    public const string Unique = nameof(Unique);

    /// <summary>BTREE, FULLTEXT, SPATIAL, HASH.</summary>
    public const string IndexType = nameof(IndexType);

    /// <summary>Key parts (columns, order, prefix lengths).</summary>
    public const string Columns = nameof(Columns);

    /// <summary>Same definition under another name.</summary>
    public const string Name = nameof(Name);

    /// <summary>Referenced table of a foreign key.</summary>
    public const string ReferencedTable = nameof(ReferencedTable);

    /// <summary>Referenced columns of a foreign key.</summary>
    public const string ReferencedColumns = nameof(ReferencedColumns);

    /// <summary>ON DELETE rule.</summary>
    public const string OnDelete = nameof(OnDelete);

    /// <summary>CHECK clause.</summary>
    public const string Clause = nameof(Clause);
}
