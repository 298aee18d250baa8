using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using MySqlConnector;

namespace MarketplaceMigration.Engine.SchemaMigrations;

/// <summary>One row of an endpoint's tracking table.</summary>
public sealed class AppliedMigration
{
    /// <summary>Version.</summary>
    public string Version { get; set; } = string.Empty;

    /// <summary>Description.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The file's checksum when the update part began.</summary>
    public string Checksum { get; set; } = string.Empty;

    /// <summary>When the update part finished (null: not finished).</summary>
    public DateTime? UpdateAt { get; set; }

    /// <summary>Seconds the update part took.</summary>
    public double? UpdateSeconds { get; set; }

    /// <summary>When the destructive part finished.</summary>
    public DateTime? DestructiveAt { get; set; }

    /// <summary>Seconds the destructive part took.</summary>
    public double? DestructiveSeconds { get; set; }

    /// <summary>The part in progress or failed: update or updateDestructive (null when none).</summary>
    public string? Part { get; set; }

    /// <summary>Statements of <see cref="Part"/> done (DDL commits each one).</summary>
    public int StatementsDone { get; set; }

    /// <summary>Checksum of the statements done (a resume requires them unchanged).</summary>
    public string? DoneChecksum { get; set; }

    /// <summary>The server's message of the failure.</summary>
    public string? Error { get; set; }
}

/// <summary>
/// The tracking table on each endpoint, <c>mm_schema_migration</c>: one row per migration with its
/// checksum, times and durations, and — because MySQL DDL commits implicitly — the statement a part
/// reached, so a failed migration is finished (not repeated) by a rerun.
/// </summary>
public static class MigrationTracking
{
    /// <summary>The table's name.</summary>
    public const string Table = "mm_schema_migration";

    private const string Create =
        "CREATE TABLE IF NOT EXISTS "
        + Table
        + " ("
        + "version CHAR(14) NOT NULL PRIMARY KEY, name VARCHAR(190) NOT NULL, checksum CHAR(64) NOT NULL, "
        + "update_at DATETIME(3) NULL, update_seconds DOUBLE NULL, destructive_at DATETIME(3) NULL, destructive_seconds DOUBLE NULL, "
        + "part VARCHAR(20) NULL, statements_done INT NOT NULL DEFAULT 0, done_checksum CHAR(32) NULL, error TEXT NULL"
        + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";

    /// <summary>Creates the table when missing.</summary>
    public static async Task EnsureAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        using var command = new MySqlCommand(Create, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every row (none when the table does not exist yet).</summary>
    public static async Task<Dictionary<string, AppliedMigration>> ReadAsync(
        MySqlConnection connection,
        CancellationToken cancellationToken
    )
    {
        var rows = new Dictionary<string, AppliedMigration>(StringComparer.Ordinal);
        using (
            var exists = new MySqlCommand(
                $"SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '{Table}'",
                connection
            )
        )
        {
            if (
                Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) == 0
            )
                return rows;
        }

        using var command = new MySqlCommand(
            "SELECT version, name, checksum, update_at, update_seconds, destructive_at, destructive_seconds, part, "
                + $"statements_done, done_checksum, error FROM {Table}",
            connection
        );
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var row = new AppliedMigration
            {
                Version = reader.GetString(0),
                Name = reader.GetString(1),
                Checksum = reader.GetString(2),
                UpdateAt = reader.IsDBNull(3) ? null : reader.GetDateTime(3),
                UpdateSeconds = reader.IsDBNull(4) ? null : reader.GetDouble(4),
                DestructiveAt = reader.IsDBNull(5) ? null : reader.GetDateTime(5),
                DestructiveSeconds = reader.IsDBNull(6) ? null : reader.GetDouble(6),
                Part = reader.IsDBNull(7) ? null : reader.GetString(7),
                StatementsDone = reader.GetInt32(8),
                DoneChecksum = reader.IsDBNull(9) ? null : reader.GetString(9),
                Error = reader.IsDBNull(10) ? null : reader.GetString(10),
            };
            rows[row.Version] = row;
        }

        return rows;
    }

    /// <summary>Writes a row (insert or replace).</summary>
    public static async Task SaveAsync(MySqlConnection connection, AppliedMigration row, CancellationToken cancellationToken)
    {
        using var command = new MySqlCommand(
            $"REPLACE INTO {Table} (version, name, checksum, update_at, update_seconds, destructive_at, destructive_seconds, "
                + "part, statements_done, done_checksum, error) "
                + "VALUES (@v, @n, @c, @ua, @us, @da, @ds, @p, @sd, @dc, @e)",
            connection
        );
        command.Parameters.AddWithValue("@v", row.Version);
        command.Parameters.AddWithValue("@n", row.Name);
        command.Parameters.AddWithValue("@c", row.Checksum);
        command.Parameters.AddWithValue("@ua", row.UpdateAt);
        command.Parameters.AddWithValue("@us", row.UpdateSeconds);
        command.Parameters.AddWithValue("@da", row.DestructiveAt);
        command.Parameters.AddWithValue("@ds", row.DestructiveSeconds);
        command.Parameters.AddWithValue("@p", row.Part);
        command.Parameters.AddWithValue("@sd", row.StatementsDone);
        command.Parameters.AddWithValue("@dc", row.DoneChecksum);
        command.Parameters.AddWithValue("@e", row.Error);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
