using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using MySqlConnector;

namespace MarketplaceMigration.Engine.Tables;

/// <summary>
/// The key ranges a copy's chunks and a verification's digests walk, each at most the rows asked
/// for (a chunk's transaction, a differing range's drill-down in memory). A table whose key is one
/// integer column filled densely (the common AUTO_INCREMENT id) is cut arithmetically: a range of
/// <c>n</c> consecutive key values cannot hold more than <c>n</c> rows, and the bounds cost the source
/// nothing (the cursor's <c>LIMIT 1 OFFSET n</c> reads every row of the range once more). Any other
/// key, or a sparse one, is walked by <see cref="KeyCursor"/>. Either way the ranges are contiguous,
/// the first open below and the last open above, so every key on either end falls in exactly one.
/// </summary>
internal sealed class KeyRanges
{
    private readonly TableLayout _layout;
    private readonly decimal? _lowest;
    private readonly decimal _highest;
    private readonly string _kind;

    private KeyRanges(TableLayout layout, decimal? lowest, decimal highest, string kind) =>
        (_layout, _lowest, _highest, _kind) = (layout, lowest, highest, kind);

    /// <summary>Whether the ranges are cut arithmetically.</summary>
    public bool Arithmetic => _lowest.HasValue;

    /// <summary>
    /// Chooses how to cut <paramref name="layout"/>'s table into ranges of about <paramref name="chunkRows"/>
    /// rows, from its key's bounds and its row count: <paramref name="knownRows"/> when the caller counted
    /// them (a copy's plan), else the source's estimate.
    /// </summary>
    public static async Task<KeyRanges> ForAsync(
        MySqlConnection source,
        TableLayout layout,
        int chunkRows,
        long? knownRows,
        CancellationToken cancellationToken
    )
    {
        if (layout is null)
            throw new ArgumentNullException(nameof(layout));
        var cursor = new KeyRanges(layout, null, 0, string.Empty);
        if (layout.Key.Count != 1 || !layout.Key[0].IsInteger)
            return cursor;
        var key = layout.Key[0].Quoted;
        using var command = new MySqlCommand(
            $"SELECT MIN({key}), MAX({key}), (SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
                + $"AND TABLE_NAME = @t) FROM {layout.Quoted}",
            source
        );
        command.Parameters.AddWithValue("@t", layout.Table);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false) || reader.IsDBNull(0) || reader.IsDBNull(2))
            return cursor;
        var low = KeyValue.From(reader.GetValue(0));
        var high = KeyValue.From(reader.GetValue(1));
        var rows = knownRows ?? Convert.ToDecimal(reader.GetValue(2), CultureInfo.InvariantCulture);
        var lowest = decimal.Parse(low.Value, CultureInfo.InvariantCulture);
        var highest = decimal.Parse(high.Value, CultureInfo.InvariantCulture);
        return Dense(lowest, highest, rows, chunkRows) ? new KeyRanges(layout, lowest, highest, low.Kind) : cursor;
    }

    /// <summary>
    /// Whether cutting <c>[lowest, highest]</c> into ranges of <paramref name="chunkRows"/> values makes
    /// at most twice the ranges the cursor would (its row estimate may be off by half; a wrong
    /// estimate costs ranges, never rows).
    /// </summary>
    internal static bool Dense(decimal lowest, decimal highest, decimal estimatedRows, int chunkRows)
    {
        var arithmetic = Math.Ceiling((highest - lowest + 1) / chunkRows);
        var cursor = Math.Ceiling(Math.Max(estimatedRows, 1) / chunkRows);
        return arithmetic <= (2 * cursor) + 1;
    }

    /// <summary>The upper bound of the range of at most <paramref name="rows"/> rows after <paramref name="lower"/> (null: the rest of the table).</summary>
    public async Task<List<KeyValue>?> NextUpperAsync(
        MySqlConnection source,
        IReadOnlyList<KeyValue>? lower,
        int rows,
        CancellationToken cancellationToken
    ) =>
        Arithmetic
            ? Computed(lower, rows)
            : await KeyCursor.NextUpperAsync(source, _layout, lower, rows, cancellationToken).ConfigureAwait(false);

    /// <summary><see cref="NextUpperAsync"/> with blocking I/O (the copy's streaming sessions).</summary>
    public List<KeyValue>? NextUpper(MySqlConnection source, IReadOnlyList<KeyValue>? lower, int rows) =>
        Arithmetic ? Computed(lower, rows) : KeyCursor.NextUpper(source, _layout, lower, rows);

    private List<KeyValue>? Computed(IReadOnlyList<KeyValue>? lower, int rows)
    {
        var upper = NextUpper(
            _lowest!.Value,
            _highest,
            lower is null ? null : decimal.Parse(lower[0].Value, CultureInfo.InvariantCulture),
            rows
        );
        return upper is { } u
            ? new List<KeyValue>
            {
                new() { Kind = _kind, Value = u.ToString(CultureInfo.InvariantCulture) },
            }
            : null;
    }

    /// <summary>
    /// <c>(lower, lower + chunkRows]</c>, the first range starting below <paramref name="lowest"/>; null
    /// once the range would reach <paramref name="highest"/> (the last range is open above).
    /// </summary>
    internal static decimal? NextUpper(decimal lowest, decimal highest, decimal? lower, int chunkRows)
    {
        var upper = (lower ?? (lowest - 1)) + chunkRows;
        return upper >= highest ? null : upper;
    }
}
