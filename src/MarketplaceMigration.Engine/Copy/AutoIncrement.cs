using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Tables;
using MySqlConnector;

namespace MarketplaceMigration.Engine.Copy;

/// <summary>
/// AUTO_INCREMENT counters: TRUNCATE resets the target's and a copy leaves it at max(id)+1, so ids
/// of deleted top rows would be reused on the target. The source's counter is carried over.
/// </summary>
public static class AutoIncrement
{
    /// <summary>
    /// The next AUTO_INCREMENT value of each of <paramref name="tables"/> that has one, in one query (a table without an
    /// AUTO_INCREMENT column is not in the result).
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, ulong>> ReadAllAsync(
        MySqlConnection connection,
        IReadOnlyCollection<string> tables,
        CancellationToken cancellationToken
    )
    {
        if (tables is null)
            throw new ArgumentNullException(nameof(tables));
        var values = new Dictionary<string, ulong>(StringComparer.Ordinal);
        if (tables.Count == 0)
            return values;
        // MySQL 8 caches information_schema table statistics; ask for fresh ones (MariaDB has no such variable).
        try
        {
            using var fresh = new MySqlCommand("SET SESSION information_schema_stats_expiry = 0", connection);
            await fresh.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (MySqlException) { }

        using var command = new MySqlCommand(
            "SELECT TABLE_NAME, AUTO_INCREMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ("
                + string.Join(", ", tables.Select((_, i) => "@t" + i.ToString(CultureInfo.InvariantCulture)))
                + ")",
            connection
        );
        foreach (var (table, i) in tables.Select((t, i) => (t, i)))
            command.Parameters.AddWithValue("@t" + i.ToString(CultureInfo.InvariantCulture), table);
        var found = new Dictionary<string, ulong>(StringComparer.OrdinalIgnoreCase);
        using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!reader.IsDBNull(1))
                    found[reader.GetString(0)] = Convert.ToUInt64(reader.GetValue(1), CultureInfo.InvariantCulture);
            }
        }

        // Each under the name asked for (the server spells a name as stored, which may differ in case).
        foreach (var table in tables)
        {
            if (found.TryGetValue(table, out var value))
                values[table] = value;
        }

        return values;
    }

    /// <summary>Raises the target's counter to <paramref name="value"/> (InnoDB keeps it above the largest id anyway).</summary>
    public static async Task WriteAsync(MySqlConnection connection, TableLayout layout, ulong value, CancellationToken cancellationToken)
    {
        using var command = new MySqlCommand(
            $"ALTER TABLE {layout.Quoted} AUTO_INCREMENT = {value.ToString(CultureInfo.InvariantCulture)}",
            connection
        );
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
