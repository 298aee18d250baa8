using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.Engine.Errors;
using MarketplaceMigration.Engine.Location;
using MarketplaceMigration.Engine.Maintenance;
using MarketplaceMigration.Engine.Runs;
using MarketplaceMigration.Engine.State;

namespace MarketplaceMigration.Engine.Copy;

/// <summary>
/// Steps 3 and 4 on their own (Copy-DataPlane): copy the data plane from the database it lives in
/// to the other end. It refuses to write into the live database, refuses while a run is unfinished,
/// and refuses without the gate unless forced (a live source would change under the copy). Secondary
/// indexes it defers are recorded in the state directory (<see cref="CopyIndexRecordFile"/>).
/// </summary>
public static class DataPlaneCopy
{
    /// <summary>Copies every table; <paramref name="emit"/> receives one result per table.</summary>
    public static async Task CopyAsync(
        ResolvedProfile resolved,
        MigrationDirection direction,
        string? dumpPath,
        bool force,
        IRunObserver observer,
        Action<TableCopyResult> emit,
        CancellationToken cancellationToken
    )
    {
        if (resolved is null)
            throw new ArgumentNullException(nameof(resolved));
        if (emit is null)
            throw new ArgumentNullException(nameof(emit));
        observer ??= NullRunObserver.Instance;
        using var runLock = await RunLock
            .AcquireAsync(resolved.Profile.StateDirectory, resolved.Shopware, observer, cancellationToken)
            .ConfigureAwait(false);
        var unfinished = StateQuery.Unfinished(resolved.Profile.StateDirectory);
        if (unfinished != null)
        {
            throw new MigrationException(
                ErrorIds.RunInProgress,
                MigrationErrorKind.PreflightFailed,
                resolved.Profile.StateDirectory,
                $"Run {unfinished.RunId} ({unfinished.Options.Direction}) is unfinished at step {unfinished.NextStep?.Number} {unfinished.NextStep?.Name}; a separate copy would interfere with it.",
                "finish it with Start-DataMigration (it resumes), or use it instead of Copy-DataPlane."
            );
        }

        var location = await DataLocationFlip.ReadAsync(resolved, cancellationToken).ConfigureAwait(false);
        var target = resolved.For(direction.Target());
        if (location.ShopwareSelector == direction.Location() || location.ClusterSelector == direction.Location())
        {
            throw new MigrationException(
                ErrorIds.TargetIsLive,
                MigrationErrorKind.PreflightFailed,
                target.Endpoint.ToString(),
                $"A selector says the data plane lives in '{direction.Location()}' ({target.Endpoint}); copying there would overwrite the live data.",
                $"copy the other way (-To {(direction == MigrationDirection.ToCluster ? "Shopware" : "Cluster")}), or fix the selectors first (Get-DataLocation)."
            );
        }

        if (!location.MaintenanceGate && !force)
        {
            throw new MigrationException(
                ErrorIds.GateNotSet,
                MigrationErrorKind.PreflightFailed,
                RemoteSettings.KeyPrefix + "maintenance",
                "The maintenance gate is not set, so the source can change while it is copied and the copy would be inconsistent.",
                "Set-MaintenanceGate first (it also waits for open transactions), or pass -AllowLiveSource to copy a live source anyway (for a rehearsal)."
            );
        }

        var source = resolved.For(direction.Source());
        var layouts = await LayoutReader.ReadAsync(source, resolved.Profile.Tables, cancellationToken).ConfigureAwait(false);
        await TargetCapabilities.CheckLocalInfileAsync(target, cancellationToken).ConfigureAwait(false);
        var deferred = CopyIndexRecordFile.Open(resolved.Profile.StateDirectory, target); // refuses before anything is emptied
        if (dumpPath != null)
            await DumpWriter.WriteAsync(source, layouts, dumpPath, observer, cancellationToken).ConfigureAwait(false);
        await TableSet
            .EmptyAsync(
                target,
                resolved.Profile.Tables,
                resolved.Profile.LockWaitSeconds,
                "the target user needs DROP (for TRUNCATE) on the data plane; fix the grant or end the session holding the lock, then rerun.",
                observer,
                cancellationToken
            )
            .ConfigureAwait(false);

        var progress = (await CopyPlan.ReadAsync(source, layouts, cancellationToken).ConfigureAwait(false)).ToDictionary(p => p.Table);
        await ParallelCopy
            .CopyAsync(
                source,
                target,
                layouts,
                t => progress[t],
                resolved.Profile.ChunkRows,
                resolved.Profile.Parallelism,
                () => { },
                observer,
                cancellationToken,
                (layout, seconds) =>
                {
                    var p = progress[layout.Table];
                    emit(
                        new TableCopyResult(
                            layout.Table,
                            p.RowsCopied,
                            p.ChunksCopied,
                            Math.Round(seconds, 3),
                            (long)(p.RowsCopied / Math.Max(0.001, seconds)),
                            source.Endpoint.ToString(),
                            target.Endpoint.ToString()
                        )
                    );
                },
                resolved.Profile.Throttle(),
                resolved.Profile.DeferIndexes ? deferred : null
            )
            .ConfigureAwait(false);

        // Whatever the profile says now: indexes a stopped copy into this target dropped are rebuilt.
        await DeferredIndexes.RebuildAllAsync(target, deferred, observer, cancellationToken).ConfigureAwait(false);
        await CopyPlan.CarryAutoIncrementAsync(target, layouts, t => progress[t], cancellationToken).ConfigureAwait(false);
    }
}
