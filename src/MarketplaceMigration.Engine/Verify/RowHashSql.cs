using System.Linq;
using MarketplaceMigration.Engine.Copy;

namespace MarketplaceMigration.Engine.Verify;

/// <summary>
/// The server-side row hash: MD5 over the canonical text of every non-JSON column, each piece
/// length-prefixed (<c>5:hello</c>) and NULL written as <c>-</c>, so no two different rows render alike.
/// The same expression yields the same bytes on MariaDB and MySQL 8 for equal rows.
/// </summary>
public static class RowHashSql
{
    /// <summary><c>MD5(CONCAT(...))</c> for a table's row.</summary>
    public static string RowHash(TableLayout layout)
    {
        var pieces = layout.ServerHashed.Select(c => $"IFNULL(CONCAT(LENGTH({c.CanonicalExpression}), ':', {c.CanonicalExpression}), '-')");
        return "MD5(CONCAT(" + string.Join(", ", pieces) + "))";
    }

    /// <summary>Count and the two exact 64-bit lane sums of the rows in a key range.</summary>
    public static string Digest(TableLayout layout, bool hasLower, bool hasUpper)
        => "SELECT COUNT(*), COALESCE(SUM(CAST(CONV(SUBSTRING(h, 1, 16), 16, 10) AS UNSIGNED)), 0), COALESCE(SUM(CAST(CONV(SUBSTRING(h, 17, 16), 16, 10) AS UNSIGNED)), 0) "
           + $"FROM (SELECT {RowHash(layout)} AS h FROM {layout.Quoted} WHERE {layout.RangePredicate(hasLower, hasUpper)}) AS chunk";

    /// <summary>Key and JSON columns of the rows in a key range (for the client-side JSON lane).</summary>
    public static string JsonRows(TableLayout layout, bool hasLower, bool hasUpper)
        => $"SELECT {layout.KeySelect}, {string.Join(", ", layout.JsonColumns.Select(c => $"CAST({c.Quoted} AS CHAR)"))} FROM {layout.Quoted} WHERE {layout.RangePredicate(hasLower, hasUpper)}";

    /// <summary>Key, row hash and JSON columns of every row in a key range, in key order (the drill-down).</summary>
    public static string Rows(TableLayout layout, bool hasLower, bool hasUpper)
    {
        var json = layout.JsonColumns.Count == 0 ? string.Empty : ", " + string.Join(", ", layout.JsonColumns.Select(c => $"CAST({c.Quoted} AS CHAR)"));
        return $"SELECT {layout.KeySelect}, {RowHash(layout)}{json} FROM {layout.Quoted} WHERE {layout.RangePredicate(hasLower, hasUpper)} ORDER BY {layout.KeyList}";
    }
}
