using System;
using MarketplaceMigration.Engine.Tables;

namespace MarketplaceMigration.Engine.Verify;

/// <summary>How one column enters the row hash (<see cref="RowHashSql"/>): its text, and what keeps field boundaries and NULLs from shifting.</summary>
internal static class HashedColumn
{
    private static readonly string[] DigitTypes =
    {
        "tinyint",
        "smallint",
        "mediumint",
        "int",
        "bigint",
        "decimal",
        "float",
        "double",
        "date",
        "datetime",
        "timestamp",
        "time",
        "year",
    };

    /// <summary>The column inside the row hash: as the server renders it, FLOAT widened to DOUBLE.</summary>
    public static string Expression(TableColumn column) =>
        column.IsFloat ? $"CAST(CAST({column.Quoted} AS DOUBLE) AS CHAR)" : column.Quoted;

    /// <summary>
    /// What the row hash adds for this column so that field boundaries and NULLs cannot shift: a value
    /// that may hold any byte (strings, bytes, BIT, ENUM, JSON) adds its byte length (-1 for NULL); a
    /// number or a date, printed without a 0x00 byte, adds only whether it is NULL, and nothing when it
    /// cannot be (its text needs no converting just to be measured: the lengths cost as much as SHA-256).
    /// </summary>
    public static string? LengthExpression(TableColumn column) =>
        PrintsDigits(column)
            ? (column.Definition.Nullable ? $"ISNULL({column.Quoted})" : null)
            : (column.Definition.Nullable ? $"IFNULL(LENGTH({Expression(column)}), -1)" : $"LENGTH({Expression(column)})");

    /// <summary>A number or a date: its text never holds a 0x00 byte.</summary>
    public static bool PrintsDigits(TableColumn column) => Array.IndexOf(DigitTypes, column.Definition.Type.BaseType) >= 0;
}
