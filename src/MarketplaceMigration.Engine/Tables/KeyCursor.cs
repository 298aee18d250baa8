using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MySqlConnector;

namespace MarketplaceMigration.Engine.Tables;

/// <summary>
/// Walks a table in primary-key order, one chunk at a time: the upper bound of the next chunk is the
/// key a chunk of rows past the lower bound (an index walk, so every chunk costs its own
/// rows only, whatever the key type: integer, binary or composite, with or without gaps).
/// </summary>
public static class KeyCursor
{
    /// <summary>The key that ends the chunk after <paramref name="lower"/>, or null when fewer than <paramref name="rows"/> rows
    /// remain (the last chunk is open-ended).</summary>
    public static Task<List<KeyValue>?> NextUpperAsync(
        MySqlConnection connection,
        TableLayout layout,
        IReadOnlyList<KeyValue>? lower,
        int rows,
        CancellationToken cancellationToken
    ) => NextUpperWithinAsync(connection, layout, lower, null, rows, cancellationToken);

    /// <summary>
    /// The key that ends the chunk of <paramref name="rows"/> rows after <paramref name="lower"/> inside a range that ends at
    /// <paramref name="upper"/> (null: the table's end), or null when fewer rows than that remain in it: the chunk ends where
    /// the range does. The server compares the keys, by the columns' own types and collations.
    /// </summary>
    public static async Task<List<KeyValue>?> NextUpperWithinAsync(
        MySqlConnection connection,
        TableLayout layout,
        IReadOnlyList<KeyValue>? lower,
        IReadOnlyList<KeyValue>? upper,
        int rows,
        CancellationToken cancellationToken
    )
    {
        using var command = NextUpperCommand(connection, layout, lower, upper, rows);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Key(reader, layout) : null;
    }

    /// <summary><see cref="NextUpperAsync"/> with blocking I/O (the copy's streaming sessions).</summary>
    public static List<KeyValue>? NextUpper(MySqlConnection connection, TableLayout layout, IReadOnlyList<KeyValue>? lower, int rows)
    {
        using var command = NextUpperCommand(connection, layout, lower, null, rows);
        using var reader = command.ExecuteReader();
        return reader.Read() ? Key(reader, layout) : null;
    }

    /// <summary>The largest key in the table, or null when it is empty (blocking I/O).</summary>
    public static List<KeyValue>? Last(MySqlConnection connection, TableLayout layout)
    {
        if (layout is null)
            throw new System.ArgumentNullException(nameof(layout));
        var descending = string.Join(", ", layout.Key.Select(k => k.Quoted + " DESC"));
        using var command = new MySqlCommand($"SELECT {layout.KeySelect} FROM {layout.Quoted} ORDER BY {descending} LIMIT 1", connection);
        using var reader = command.ExecuteReader();
        return reader.Read() ? Key(reader, layout) : null;
    }

    private static MySqlCommand NextUpperCommand(
        MySqlConnection connection,
        TableLayout layout,
        IReadOnlyList<KeyValue>? lower,
        IReadOnlyList<KeyValue>? upper,
        int rows
    )
    {
        if (layout is null)
            throw new System.ArgumentNullException(nameof(layout));
        var command = new MySqlCommand(
            $"SELECT {layout.KeySelect} FROM {layout.Quoted} WHERE {layout.RangePredicate(lower != null, upper != null)} ORDER BY "
                + $"{layout.KeyList} LIMIT 1 OFFSET {(rows - 1).ToString(CultureInfo.InvariantCulture)}",
            connection
        );
        TableLayout.Bind(command, "@l", lower);
        TableLayout.Bind(command, "@h", upper);
        return command;
    }

    private static List<KeyValue> Key(MySqlDataReader reader, TableLayout layout)
    {
        var key = new List<KeyValue>(layout.Key.Count);
        for (var i = 0; i < layout.Key.Count; i++)
            key.Add(KeyValue.From(reader.GetValue(i)));
        return key;
    }
}
