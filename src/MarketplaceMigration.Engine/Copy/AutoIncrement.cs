using System;
using System.Globalization;
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
    /// <summary>The table's next AUTO_INCREMENT value, or null when it has none.</summary>
    public static async Task<ulong?> ReadAsync(MySqlConnection connection, string table, CancellationToken cancellationToken)
    {
        // MySQL 8 caches information_schema table statistics; ask for fresh ones (MariaDB has no such variable).
        try
        {
            using var fresh = new MySqlCommand("SET SESSION information_schema_stats_expiry = 0", connection);
            await fresh.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (MySqlException) { }

        using var command = new MySqlCommand(
            "SELECT AUTO_INCREMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @t",
            connection
        );
        command.Parameters.AddWithValue("@t", table);
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is null or DBNull ? null : Convert.ToUInt64(value, CultureInfo.InvariantCulture);
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
