using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MySqlConnector;

namespace MarketplaceMigration.Engine.Tables;

/// <summary>
/// The server's estimate of each table's size in bytes (information_schema DATA_LENGTH), used to take
/// the largest tables first so that parallel workers finish together. Bytes, not rows: a table of
/// fewer but wider rows (long text, blobs) takes longer than its row count says.
/// </summary>
public static class TableSizes
{
    /// <summary>DATA_LENGTH of every table in the session's database (0 when the server does not know).</summary>
    public static async Task<IReadOnlyDictionary<string, long>> BytesAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        if (connection is null)
            throw new ArgumentNullException(nameof(connection));
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        using var command = new MySqlCommand(
            "SELECT TABLE_NAME, COALESCE(DATA_LENGTH, 0) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()",
            connection
        );
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            sizes[reader.GetString(0)] = Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture);
        return sizes;
    }

    /// <summary><see cref="BytesAsync(MySqlConnection, CancellationToken)"/> on a session of its own.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> BytesAsync(ConnectionTarget endpoint, CancellationToken cancellationToken)
    {
        using var connection = await ConnectionFactory.OpenAsync(endpoint, cancellationToken).ConfigureAwait(false);
        return await BytesAsync(connection, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Indexes of <paramref name="tables"/>, largest first by <paramref name="size"/> (ties keep list order).</summary>
    public static IEnumerable<int> LargestFirst(IReadOnlyList<string> tables, Func<string, double> size)
    {
        if (tables is null)
            throw new ArgumentNullException(nameof(tables));
        if (size is null)
            throw new ArgumentNullException(nameof(size));
        var order = new List<(double Size, int Index)>(tables.Count);
        for (var i = 0; i < tables.Count; i++)
            order.Add((size(tables[i]), i));
        order.Sort((a, b) => a.Size != b.Size ? b.Size.CompareTo(a.Size) : a.Index.CompareTo(b.Index));
        return order.ConvertAll(x => x.Index);
    }
}
