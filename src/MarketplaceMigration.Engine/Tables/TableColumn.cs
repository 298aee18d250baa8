using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Schema;

namespace MarketplaceMigration.Engine.Tables;

/// <summary>One column that is copied (generated columns never are), with how it is read, keyed and loaded (how it is hashed:
/// <c>Verify.HashedColumn</c>).</summary>
public sealed class TableColumn
{
    internal TableColumn(ColumnDefinition definition)
    {
        Definition = definition;
        Name = definition.Name;
        Quoted = SqlIdentifier.Quote(definition.Name);
        var type = definition.Type.BaseType;
        IsBinary = type is "binary" or "varbinary" or "tinyblob" or "blob" or "mediumblob" or "longblob";
        IsBit = type == "bit";
        IsJson = type == "json";
        IsDecimal = type == "decimal";
        IsText = definition.Charset != null;
        IsInteger = type is "tinyint" or "smallint" or "mediumint" or "int" or "bigint";
        IsFloat = type == "float";
    }

    /// <summary>
    /// FLOAT: the text protocol prints it with 6 significant digits, which loses bits; it is read
    /// widened to DOUBLE (exact), loaded as the shortest round-trip text of that double (which the
    /// target narrows back to the same float), and hashed as that double's text.
    /// </summary>
    public bool IsFloat { get; }

    /// <summary>An integer column: keys bind as 64-bit integers.</summary>
    public bool IsInteger { get; }

    /// <summary>How a key column is read for a checkpoint: bytes and integers as they are, the rest as the server's exact text.</summary>
    public string KeyExpression => IsBinary || IsInteger ? Quoted : $"CAST({Quoted} AS CHAR)";

    /// <summary>How a bound key value is compared with the column (decimals exactly, not through a double).</summary>
    public string KeyParameter(string name) => IsDecimal ? $"CAST({name} AS DECIMAL(65,30))" : name;

    /// <summary>The column as the schema reader saw it.</summary>
    public ColumnDefinition Definition { get; }

    /// <summary>Column name.</summary>
    public string Name { get; }

    /// <summary>Backtick-quoted name.</summary>
    public string Quoted { get; }

    /// <summary>Bytes: copied and hashed as raw bytes.</summary>
    public bool IsBinary { get; }

    /// <summary>BIT: loaded as a number through CAST(... AS UNSIGNED).</summary>
    public bool IsBit { get; }

    /// <summary>JSON: hashed by content (client-side canonical form), because MySQL 8 normalises it and MariaDB keeps the text.</summary>
    public bool IsJson { get; }

    /// <summary>DECIMAL: read as the server's exact text, so DECIMAL(65,30) cannot overflow .NET's decimal.</summary>
    public bool IsDecimal { get; }

    /// <summary>A character column.</summary>
    public bool IsText { get; }

    /// <summary>The expression the copy selects.</summary>
    public string SelectExpression =>
        IsDecimal ? $"CAST({Quoted} AS CHAR)"
        : IsFloat ? $"CAST({Quoted} AS DOUBLE)"
        : Quoted;

    /// <summary>
    /// The expression the copy selects: the value as bytes, so the reader hands the source server's own
    /// text (or bytes) to the target untouched. Text in the column's own character set (no conversion on
    /// the way out), numbers, decimals and times as the server prints them, FLOAT widened to DOUBLE (its
    /// round-trip text), BIT as its unsigned number, JSON as utf8mb4 text (MySQL 8 stores it binary).
    /// </summary>
    public string TransportExpression =>
        IsBinary ? Quoted
        : IsBit ? $"CAST(CAST({Quoted} AS UNSIGNED) AS BINARY)"
        : IsJson ? $"CAST(CAST({Quoted} AS CHAR CHARACTER SET utf8mb4) AS BINARY)"
        : IsFloat ? $"CAST(CAST({Quoted} AS DOUBLE) AS BINARY)"
        : $"CAST({Quoted} AS BINARY)";

    /// <summary>The character set of the text <see cref="TransportExpression"/> yields, or null for bytes, numbers and times.</summary>
    public string? TransportCharset =>
        IsJson ? "utf8mb4"
        : IsText ? Definition.Charset
        : null;
}
