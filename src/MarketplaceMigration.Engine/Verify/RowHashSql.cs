using System.Collections.Generic;
using System.Linq;
using MarketplaceMigration.Engine.Tables;

namespace MarketplaceMigration.Engine.Verify;

/// <summary>
/// The server-side row hash: the first 64 bits of SHA-256 over <c>CONCAT_WS(0x00, col1, ..., lengths)</c>,
/// where the last field lists the byte length of every column that may hold any byte (-1 for NULL) and
/// a NULL flag for every nullable number or date (<see cref="HashedColumn.LengthExpression"/>), so a
/// NULL, an empty string and a shifted 0x00 byte all hash differently: the fields can be told apart again.
/// One NOT NULL column that may hold any byte goes without its length (<see cref="Unmeasured"/>): every
/// other field's end is known, so its own is too. Columns enter as the server renders them (the same text on
/// MariaDB and MySQL 8 for equal values); FLOAT widened to DOUBLE (its own text rounds to 6 digits);
/// JSON only when both ends are the same server family (otherwise hashed by content on the client).
/// </summary>
/// <remarks>
/// A key range is digested two ways. <see cref="OrderedDigest"/>, the verification's: SHA-256 over the
/// range's 64-bit row hashes in the order the server reads them (key order: the range is a primary-key
/// range), which spares the server turning every hash into a number (measured on MariaDB 10.11: a quarter
/// of a range's cost); its intermediate text is 16 bytes a row, bounded by the server's
/// <c>group_concat_max_len</c>, which the query returns so that a range it could not hold is never taken
/// for equal. <see cref="Digest"/>, independent of order and of the range's size: the exact sum of the
/// 64-bit row hashes, for the resume proof (any number of rows) and to settle an ordered mismatch.
/// </remarks>
public static class RowHashSql
{
    /// <summary>Hex digits of each row's hash that the digests keep (64 bits).</summary>
    public const int RowHashHexDigits = 16;

    /// <summary><c>SHA2(CONCAT_WS(...), 256)</c> for a table's row (measured on MariaDB 10.11: about 60% of MD5's cost per row;
    /// MySQL 8 has the same function).</summary>
    public static string RowHash(TableLayout layout, bool jsonOnServer)
    {
        var columns = layout.Columns.Where(c => jsonOnServer || !c.IsJson).ToList();
        var unmeasured = Unmeasured(columns);
        var lengths = columns.Where(c => c != unmeasured).Select(HashedColumn.LengthExpression).Where(e => e != null).ToList();
        return "SHA2(CONCAT_WS(0x00, "
            + string.Join(", ", columns.Select(HashedColumn.Expression))
            + (lengths.Count > 0 ? ", CONCAT_WS(',', " + string.Join(", ", lengths) + ")" : string.Empty)
            + "), 256)";
    }

    /// <summary>
    /// The one column the row hash need not measure: the last NOT NULL column that may hold any byte.
    /// Read from the left, every field before it ends where its length says (or at the next 0x00: digits
    /// hold none); read from the right, the length list (no 0x00) and every field after it are told apart
    /// the same way; what is left between them is this column, whatever bytes it holds. A nullable column
    /// keeps its length (-1 says it is NULL, which CONCAT_WS would otherwise skip without a trace).
    /// </summary>
    internal static TableColumn? Unmeasured(IReadOnlyList<TableColumn> columns) =>
        columns.LastOrDefault(c => !HashedColumn.PrintsDigits(c) && !c.Definition.Nullable);

    /// <summary>Count and the exact sum of the 64-bit row hashes of a key range.</summary>
    public static string Digest(TableLayout layout, bool jsonOnServer, bool hasLower, bool hasUpper) =>
        $"SELECT COUNT(*), COALESCE(SUM(CAST(CONV(LEFT({RowHash(layout, jsonOnServer)}, {RowHashHexDigits}), 16, 10) AS UNSIGNED)), 0) "
        + $"FROM {layout.Quoted} WHERE {layout.RangePredicate(hasLower, hasUpper)}";

    /// <summary>Count, SHA-256 over the 64-bit row hashes of a key range in the server's reading order, and the session's
    /// <c>group_concat_max_len</c>.</summary>
    public static string OrderedDigest(TableLayout layout, bool jsonOnServer, bool hasLower, bool hasUpper) =>
        $"SELECT COUNT(*), SHA2(GROUP_CONCAT(LEFT({RowHash(layout, jsonOnServer)}, {RowHashHexDigits}) SEPARATOR ''), 256), @@SESSION.group_concat_max_len "
        + $"FROM {layout.Quoted} WHERE {layout.RangePredicate(hasLower, hasUpper)}";

    /// <summary>Key and JSON columns of the rows in a key range (for the client-side JSON lane).</summary>
    public static string JsonRows(TableLayout layout, bool hasLower, bool hasUpper) =>
        $"SELECT {layout.KeySelect}, {string.Join(", ", layout.JsonColumns.Select(c => $"CAST({c.Quoted} AS CHAR)"))} FROM "
        + $"{layout.Quoted} WHERE {layout.RangePredicate(hasLower, hasUpper)}";

    /// <summary>Key, row hash and (client-lane) JSON columns of every row in a key range, in key order (the drill-down).</summary>
    public static string Rows(TableLayout layout, bool jsonOnServer, bool hasLower, bool hasUpper) =>
        $"SELECT {layout.KeySelect}, {RowHash(layout, jsonOnServer)}{JsonTail(layout, jsonOnServer)} FROM {layout.Quoted} WHERE "
        + $"{layout.RangePredicate(hasLower, hasUpper)} ORDER BY {layout.KeyList}";

    /// <summary>Key, row hash and (client-lane) JSON columns of the rows of <paramref name="keys"/> keys (<see cref="TableLayout.KeyIn"/>).</summary>
    public static string RowsOfKeys(TableLayout layout, bool jsonOnServer, int keys) =>
        $"SELECT {layout.KeySelect}, {RowHash(layout, jsonOnServer)}{JsonTail(layout, jsonOnServer)} FROM {layout.Quoted} WHERE {layout.KeyIn(keys)}";

    /// <summary>One row by key, with its hash.</summary>
    public static string Row(TableLayout layout, bool jsonOnServer) =>
        $"SELECT {layout.KeySelect}, {RowHash(layout, jsonOnServer)}{JsonTail(layout, jsonOnServer)} FROM {layout.Quoted} WHERE {layout.KeyEquals}";

    private static string JsonTail(TableLayout layout, bool jsonOnServer) =>
        jsonOnServer || layout.JsonColumns.Count == 0
            ? string.Empty
            : ", " + string.Join(", ", layout.JsonColumns.Select(c => $"CAST({c.Quoted} AS CHAR)"));
}
