using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.DataPlane;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Errors;
using MarketplaceMigration.Engine.Infrastructure;
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
    public static async Task<DataLocation> ReadAsync(
        SystemConfigAccess access,
        string clusterConfigPath,
        CancellationToken cancellationToken
    )
    {
        if (access is null)
            throw new System.ArgumentNullException(nameof(access));
        using var connection = await ConnectionFactory.OpenAsync(access.Database, cancellationToken).ConfigureAwait(false);
        var settings = await SystemConfigReader.ReadAsync(connection, cancellationToken).ConfigureAwait(false);
        var file = ClusterConfigFile.Load(clusterConfigPath);
        return new DataLocation(access.ShopwareRoot, settings.DataLocation, file.Active, file.Path, settings.Maintenance);
    }

    /// <summary>Sets both selectors to <paramref name="to"/>, journaling each half in <paramref name="journal"/> (saved through
    /// <paramref name="save"/>).</summary>
    public static async Task FlipAsync(
        SystemConfigAccess access,
        string clusterConfigPath,
        EndpointRole to,
        FlipJournal journal,
        string backupSuffix,
        System.Action save,
        IRunObserver observer,
        CancellationToken cancellationToken
    )
    {
        var location = to.Selector();
        var before = await ReadAsync(access, clusterConfigPath, cancellationToken).ConfigureAwait(false);
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
                await SystemConfigWriter
                    .WriteAsync(access, "dataLocation", "\"" + location + "\"", observer, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (MySqlException ex) when (!Reconnecting.IsInterrupted(ex))
            {
                throw new MigrationException(
                    ErrorIds.DataLocationWriteFailed,
                    MigrationErrorKind.Permission,
                    RemoteSettings.KeyPrefix + "dataLocation",
                    $"The cluster file already says '{location}', but {RemoteSettings.KeyPrefix}dataLocation could not be written "
                        + $"in {access.Database.Endpoint}: {ex.Message}. The gate stays set, so nothing runs on split selectors.",
                    "fix the cause (grant UPDATE/INSERT on system_config), then rerun: the flip is completed.",
                    ex
                );
            }

            observer.Verbose($"{RemoteSettings.KeyPrefix}dataLocation '{before.ShopwareSelector}' -> '{location}'.");
            await CacheInvalidation.RunAsync(access, observer, cancellationToken).ConfigureAwait(false);
        }

        journal.RowWritten = true;
        save();
    }
}
