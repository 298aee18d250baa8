using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.Engine.Errors;
using MarketplaceMigration.Engine.Maintenance;
using MarketplaceMigration.Engine.State;
using MySqlConnector;

namespace MarketplaceMigration.Engine.Location;

/// <summary>
/// Flips both selectors in lockstep: the intent is journaled first, then the cluster file is
/// rewritten (with a backup), then the system_config row, each half recorded as it lands. Both
/// writes are idempotent, so a rerun after a failure or crash between them completes the pair.
/// </summary>
public static class DataLocationFlip
{
    /// <summary>Reads both selectors.</summary>
    public static async Task<DataLocation> ReadAsync(ResolvedProfile resolved, CancellationToken cancellationToken)
    {
        using var connection = await ConnectionFactory.OpenAsync(resolved.Shopware, cancellationToken).ConfigureAwait(false);
        var settings = await SystemConfigReader.ReadAsync(connection, cancellationToken).ConfigureAwait(false);
        var file = ClusterConfigFile.Load(resolved.Profile.ClusterConfigPath);
        return new DataLocation(resolved.Profile.ShopwareRoot, settings.DataLocation, file.Active, file.Path, settings.Maintenance);
    }

    /// <summary>Sets both selectors to <paramref name="location"/>, journaling each half in <paramref name="journal"/> (saved through <paramref name="save"/>).</summary>
    public static async Task FlipAsync(
        ResolvedProfile resolved,
        string location,
        FlipJournal journal,
        string backupSuffix,
        System.Action save,
        IRunObserver observer,
        CancellationToken cancellationToken
    )
    {
        var before = await ReadAsync(resolved, cancellationToken).ConfigureAwait(false);
        if (journal.To.Length == 0)
        {
            journal.To = location;
            journal.PreviousActive = before.ClusterSelector;
            journal.PreviousLocation = before.ShopwareSelector;
        }

        save();
        if (before.ClusterSelector != location)
        {
            journal.BackupPath = ClusterConfigWriter.SetActive(before.ClusterConfigPath, location, backupSuffix);
            observer.Verbose(
                $"Cluster config {before.ClusterConfigPath}: db.connection.active '{before.ClusterSelector}' -> '{location}' (backup {journal.BackupPath})."
            );
        }

        journal.FileWritten = true;
        save();
        if (before.ShopwareSelector != location)
        {
            try
            {
                using var connection = await ConnectionFactory.OpenAsync(resolved.Shopware, cancellationToken).ConfigureAwait(false);
                await SystemConfigWriter
                    .WriteAsync(connection, "dataLocation", "\"" + location + "\"", cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (MySqlException ex)
            {
                throw new MigrationException(
                    ErrorIds.DataLocationWriteFailed,
                    MigrationErrorKind.Permission,
                    RemoteSettings.KeyPrefix + "dataLocation",
                    $"The cluster file already says '{location}', but {RemoteSettings.KeyPrefix}dataLocation could not be written in {resolved.Shopware.Endpoint}: {ex.Message}. The gate stays set, so nothing runs on split selectors.",
                    "fix the cause (grant UPDATE/INSERT on system_config), then rerun: the flip is completed.",
                    ex
                );
            }

            observer.Verbose($"{RemoteSettings.KeyPrefix}dataLocation '{before.ShopwareSelector}' -> '{location}'.");
            await CacheInvalidation.RunAsync(resolved.Profile, observer, cancellationToken).ConfigureAwait(false);
        }

        journal.RowWritten = true;
        save();
    }
}
