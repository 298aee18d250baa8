using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Errors;
using MarketplaceMigration.Engine.Tables;
using MySqlConnector;

namespace MarketplaceMigration.Engine.Copy;

/// <summary>
/// Empties a whole set of data-plane tables in one session with foreign-key checks off. TRUNCATE
/// of a referenced table fails with checks on (1701), and with checks off it does not cascade: only
/// the whole set, in one session, leaves no orphans.
/// </summary>
public static class TableSet
{
    /// <summary>
    /// Truncates every table of the set on <paramref name="endpoint"/> that holds rows. Returns the tables that held rows
    /// and how many, counted just before (in the same session), so nothing disappears without a word.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, long>> EmptyAsync(
        ConnectionTarget endpoint,
        IEnumerable<string> tables,
        int lockWaitSeconds,
        string fix,
        IRunObserver observer,
        CancellationToken cancellationToken
    )
    {
        using var connection = await TableSession
            .OpenWriteAsync(endpoint, lockWaitSeconds, uniqueChecks: false, cancellationToken)
            .ConfigureAwait(false);
        var count = 0;
        var held = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            try
            {
                var rows = await RowsAsync(connection, table, cancellationToken).ConfigureAwait(false);
                // An empty table is left as it is: a TRUNCATE would only recreate its file (a DDL statement, a few
                // milliseconds each) and reset its AUTO_INCREMENT, which the copy carries from the source anyway.
                if (rows == 0)
                    continue;
                held[table] = rows;
                await TableSession
                    .ExecuteAsync(connection, "TRUNCATE TABLE " + SqlIdentifier.Quote(table), cancellationToken)
                    .ConfigureAwait(false);
                count++;
            }
            catch (MySqlException ex)
            {
                throw new MigrationException(
                    ErrorIds.TargetWriteFailed,
                    MigrationErrorKind.Unspecified,
                    endpoint.Endpoint + "." + table,
                    $"Emptying {table} on {endpoint.Endpoint} failed after {count} of the set were emptied: {ex.Message} (server error {ex.Number}).",
                    fix,
                    ex
                );
            }
        }

        observer?.Verbose(
            $"Emptied {count} table(s) on {endpoint.Endpoint} in one session with foreign-key checks off (the others were empty)."
        );
        return held;
    }

    /// <summary>A table's rows: 0 at the cost of one row's read when it is empty, else the exact count.</summary>
    private static async Task<long> RowsAsync(MySqlConnection connection, string table, CancellationToken cancellationToken)
    {
        var quoted = SqlIdentifier.Quote(table);
        using var any = new MySqlCommand($"SELECT 1 FROM {quoted} LIMIT 1", connection);
        if (await any.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
            return 0;
        using var count = new MySqlCommand($"SELECT COUNT(*) FROM {quoted}", connection);
        return Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    /// <summary>"a (3), b (12)": what <see cref="EmptyAsync"/> returned, as text.</summary>
    public static string Describe(IReadOnlyDictionary<string, long> held) =>
        string.Join(", ", (held ?? throw new ArgumentNullException(nameof(held))).Select(h => $"{h.Key} ({h.Value})"));
}
