using System.Collections.Generic;
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
    /// <summary>Truncates every table of the set on <paramref name="endpoint"/>.</summary>
    public static async Task EmptyAsync(
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
        foreach (var table in tables)
        {
            try
            {
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

        observer?.Verbose($"Emptied {count} tables on {endpoint.Endpoint} in one session with foreign-key checks off.");
    }
}
