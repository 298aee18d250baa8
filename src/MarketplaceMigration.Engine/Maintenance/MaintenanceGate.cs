using System;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Errors;
using MarketplaceMigration.Engine.Infrastructure;
using MySqlConnector;

namespace MarketplaceMigration.Engine.Maintenance;

/// <summary>
/// The maintenance gate: <c>FlyokaiMarketplaceRemote.config.maintenance</c> in Shopware's
/// system_config. While it is set the marketplace backend rejects mutating requests and serves reads.
/// After each write the profile's cache-invalidation command runs, so PHP workers see the change.
/// </summary>
public static class MaintenanceGate
{
    /// <summary>Whether the gate is set.</summary>
    public static async Task<bool> IsSetAsync(ConnectionTarget shopware, CancellationToken cancellationToken)
    {
        using var connection = await ConnectionFactory.OpenAsync(shopware, cancellationToken).ConfigureAwait(false);
        return (await SystemConfigReader.ReadAsync(connection, cancellationToken).ConfigureAwait(false)).Maintenance;
    }

    /// <summary>The gate as it is (Get-MaintenanceGate).</summary>
    public static async Task<GateStatus> StatusAsync(SystemConfigAccess access, CancellationToken cancellationToken)
    {
        if (access is null)
            throw new ArgumentNullException(nameof(access));
        using var connection = await ConnectionFactory.OpenAsync(access.Database, cancellationToken).ConfigureAwait(false);
        var settings = await SystemConfigReader.ReadAsync(connection, cancellationToken).ConfigureAwait(false);
        return new GateStatus(access.ShopwareRoot, settings.Maintenance, settings.DataLocation, access.Database.Endpoint.ToString(), 0, 0);
    }

    /// <summary>Sets or lifts the gate.</summary>
    public static async Task WriteAsync(SystemConfigAccess access, bool set, IRunObserver observer, CancellationToken cancellationToken)
    {
        if (access is null)
            throw new ArgumentNullException(nameof(access));
        observer ??= NullRunObserver.Instance;
        try
        {
            await SystemConfigWriter
                .WriteAsync(access, "maintenance", set ? "true" : "false", observer, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (MySqlException ex) when (!Reconnecting.IsInterrupted(ex))
        {
            throw new MigrationException(
                ErrorIds.GateWriteFailed,
                MigrationErrorKind.Permission,
                RemoteSettings.KeyPrefix + "maintenance",
                $"The maintenance gate could not be {(set ? "set" : "lifted")} in {access.Database.Endpoint}.system_config: "
                    + $"{ex.Message} (server error {ex.Number}).",
                "the Shopware database user needs INSERT and UPDATE on system_config; fix the grant or the cause named by the server, then rerun.",
                ex
            );
        }

        observer.Verbose($"Maintenance gate {(set ? "set" : "lifted")} in {access.Database.Endpoint}.system_config.");
        await CacheInvalidation.RunAsync(access, observer, cancellationToken).ConfigureAwait(false);
    }
}
