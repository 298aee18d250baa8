using System;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.Engine.Errors;
using MarketplaceMigration.Engine.Runs;

namespace MarketplaceMigration.Engine.Maintenance;

/// <summary>Steps 2 and 10 on their own: set the gate and prove the drain, lift it, or look at it.</summary>
public static class GateOperations
{
    /// <summary>The gate as it is.</summary>
    public static async Task<GateStatus> GetAsync(ResolvedProfile resolved, CancellationToken cancellationToken)
    {
        if (resolved is null)
            throw new ArgumentNullException(nameof(resolved));
        using var connection = await ConnectionFactory.OpenAsync(resolved.Shopware, cancellationToken).ConfigureAwait(false);
        var settings = await SystemConfigReader.ReadAsync(connection, cancellationToken).ConfigureAwait(false);
        return new GateStatus(
            resolved.Profile.ShopwareRoot,
            settings.Maintenance,
            settings.DataLocation,
            resolved.Shopware.Endpoint.ToString(),
            0,
            0
        );
    }

    /// <summary>Sets the gate, then waits for transactions on the database the data lives in to drain.</summary>
    public static async Task<GateStatus> SetAsync(ResolvedProfile resolved, IRunObserver observer, CancellationToken cancellationToken)
    {
        if (resolved is null)
            throw new ArgumentNullException(nameof(resolved));
        await MaintenanceGate.WriteAsync(resolved, set: true, observer, cancellationToken).ConfigureAwait(false);
        var live = resolved.For(resolved.Profile.DataLocation == "cluster" ? EndpointRole.Cluster : EndpointRole.Shopware);
        var (waited, seconds) = await DrainProof
            .WaitAsync(live, TimeSpan.FromSeconds(resolved.Profile.DrainTimeoutSeconds), observer, cancellationToken)
            .ConfigureAwait(false);
        return new GateStatus(
            resolved.Profile.ShopwareRoot,
            true,
            resolved.Profile.DataLocation,
            resolved.Shopware.Endpoint.ToString(),
            waited,
            Math.Round(seconds, 2)
        );
    }

    /// <summary>Lifts the gate; refused while an unfinished run holds it, unless <paramref name="force"/>.</summary>
    public static async Task<GateStatus> ClearAsync(
        ResolvedProfile resolved,
        bool force,
        IRunObserver observer,
        CancellationToken cancellationToken
    )
    {
        if (resolved is null)
            throw new ArgumentNullException(nameof(resolved));
        var unfinished = StateQuery.Unfinished(resolved.Profile.StateDirectory);
        if (unfinished != null && !force)
        {
            var next = unfinished.NextStep;
            throw new MigrationException(
                ErrorIds.GateHeldByRun,
                MigrationErrorKind.PreflightFailed,
                resolved.Profile.StateDirectory,
                $"Run {unfinished.RunId} ({unfinished.Options.Direction}) is unfinished at step {next?.Number} {next?.Name}; lifting the gate now could let writes split across the two databases.",
                $"finish the run (Start-DataMigration -To {(unfinished.Options.Direction == MigrationDirection.ToCluster ? "Cluster" : "Shopware")}), which lifts the gate in its last step. Only if you have verified both ends yourself: Clear-MaintenanceGate -IgnoreUnfinishedRun."
            );
        }

        await MaintenanceGate.WriteAsync(resolved, set: false, observer, cancellationToken).ConfigureAwait(false);
        return new GateStatus(
            resolved.Profile.ShopwareRoot,
            false,
            resolved.Profile.DataLocation,
            resolved.Shopware.Endpoint.ToString(),
            0,
            0
        );
    }
}
