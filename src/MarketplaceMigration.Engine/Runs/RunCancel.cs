using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Copy;
using MarketplaceMigration.Engine.DataPlane;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.Engine.Errors;
using MarketplaceMigration.Engine.Maintenance;
using MarketplaceMigration.Engine.Online;
using MarketplaceMigration.Engine.State;
using MarketplaceMigration.Engine.Steps;

namespace MarketplaceMigration.Engine.Runs;

/// <summary>What Stop-DataMigration did.</summary>
public sealed record RunCancelResult(
    string? RunId,
    MigrationDirection? Direction,
    int TriggersRemoved,
    int ChangelogsRemoved,
    bool GateLifted,
    string StatePath
)
{
    /// <summary>Tables whose secondary indexes the run's copy had dropped on its target and the stop built again.</summary>
    public int TablesWithIndexesRebuilt { get; init; }

    /// <summary>One line for the operator.</summary>
    public string Summary =>
        (RunId is null ? "No unfinished run" : $"Run {RunId} ({Direction}) stopped")
        + $": {TriggersRemoved} capture trigger(s) and {ChangelogsRemoved} changelog(s) removed"
        + (
            TablesWithIndexesRebuilt > 0
                ? $", the secondary indexes of {TablesWithIndexesRebuilt} target table(s) built again"
                : string.Empty
        )
        + (GateLifted ? ", the gate it had set lifted." : ", the gate left as it was.");
}

/// <summary>
/// Ends an unfinished run before its flip and leaves the source as it was: the capture's triggers and
/// changelogs are removed (from the run's source, and from both ends if a run's state is gone: a trigger
/// must never outlive the tool), the gate is lifted only when this run set it, and the state says
/// Canceled, so the next Start-DataMigration starts afresh. Secondary indexes its copy had dropped on the target are
/// built again (the next run keeps a record of its own). A run that began its flip is not stopped:
/// the data may already be served from the target, and finishing it is the way out. When another
/// process runs the move, it is asked to stop (a signal file) and given up to a minute to let go.
/// </summary>
public static class RunCancel
{
    /// <summary>How long to wait for a running process to let go of the run.</summary>
    public static readonly TimeSpan WaitForRun = TimeSpan.FromSeconds(60);

    /// <summary>Stops the unfinished run of <paramref name="resolved"/>'s shop.</summary>
    public static async Task<RunCancelResult> CancelAsync(
        ResolvedProfile resolved,
        IRunObserver observer,
        CancellationToken cancellationToken
    )
    {
        if (resolved is null)
            throw new ArgumentNullException(nameof(resolved));
        observer ??= NullRunObserver.Instance;
        var store = new StateStore(resolved.Profile.StateDirectory);
        var state = store.Load();
        if (state is { Flip: not null } && state.Status is not (RunStatus.Completed or RunStatus.Canceled))
            throw PastFlip(state, store);
        using var runLock = await AcquireAsync(resolved, store, observer, cancellationToken).ConfigureAwait(false);
        state = store.Load();
        var unfinished = state is { Status: not (RunStatus.Completed or RunStatus.Canceled) } ? state : null;
        if (unfinished?.Flip != null)
            throw PastFlip(unfinished, store);

        // The run's source first; then both ends, so a capture left by a run whose state is gone is found too.
        var endpoints = new List<ConnectionTarget>();
        if (unfinished != null)
            endpoints.Add(resolved.For(unfinished.Options.Direction.Source()));
        foreach (var role in new[] { EndpointRole.Shopware, EndpointRole.Cluster })
        {
            var target = resolved.For(role);
            if (!endpoints.Any(e => e.Endpoint.ToString() == target.Endpoint.ToString()))
                endpoints.Add(target);
        }

        int triggers = 0,
            changelogs = 0;
        foreach (var endpoint in endpoints)
        {
            try
            {
                var (t, c) = await ChangeCapture
                    .RemoveAsync(endpoint, resolved.Profile.Tables, observer, cancellationToken)
                    .ConfigureAwait(false);
                (triggers, changelogs) = (triggers + t, changelogs + c);
            }
            catch (MigrationException ex) when (unfinished == null || endpoint != endpoints[0])
            {
                // Only the run's own source must answer; the sweep of the other end is best effort.
                observer.Warning($"Could not look for a capture on {endpoint.Endpoint}: {ex.Reason}");
            }
        }

        var gateLifted = false;
        var indexesRebuilt = 0;
        if (unfinished != null)
        {
            if (unfinished.DeferredIndexes.Count > 0)
                indexesRebuilt = await RebuildDroppedIndexesAsync(resolved, unfinished, store, observer, cancellationToken)
                    .ConfigureAwait(false);

            var gateStep = unfinished.Steps.FirstOrDefault(s => s.Name == SetMaintenanceStep.StepName);
            var setByRun =
                gateStep is { Status: not StepStatus.Pending }
                && !(
                    gateStep.Details.TryGetValue("GateWasSet", out var before)
                    && string.Equals(before, "True", StringComparison.OrdinalIgnoreCase)
                );
            if (setByRun && await MaintenanceGate.IsSetAsync(resolved.Shopware, cancellationToken).ConfigureAwait(false))
            {
                await MaintenanceGate.WriteAsync(resolved.SystemConfig, set: false, observer, cancellationToken).ConfigureAwait(false);
                gateLifted = true;
            }

            unfinished.Status = RunStatus.Canceled;
            unfinished.FinishedAt = DateTimeOffset.UtcNow;
            if (unfinished.Online != null)
                unfinished.Online.CaptureRemovedAt = DateTimeOffset.UtcNow;
            store.Save(unfinished);
        }

        RunSignals.Clear(resolved.Profile.StateDirectory);
        var result = new RunCancelResult(unfinished?.RunId, unfinished?.Options.Direction, triggers, changelogs, gateLifted, store.Path)
        {
            TablesWithIndexesRebuilt = indexesRebuilt,
        };
        observer.Verbose(result.Summary);
        return result;
    }

    /// <summary>
    /// Builds again the secondary indexes the run's copy dropped on its target (recorded in its state): the next run starts
    /// afresh with a record of its own and would not know them. When the target cannot take them now, the record moves to
    /// the file a stopped Copy-DataPlane leaves (<see cref="CopyIndexRecordFile"/>), which the next run or copy into that
    /// target takes over. Returns the tables rebuilt.
    /// </summary>
    private static async Task<int> RebuildDroppedIndexesAsync(
        ResolvedProfile resolved,
        MigrationState run,
        StateStore store,
        IRunObserver observer,
        CancellationToken cancellationToken
    )
    {
        var target = resolved.For(run.Options.Direction.Target());
        var record = new DeferredIndexRecord(run.DeferredIndexes, () => store.Save(run), new object(), store.Path);
        var tables = record.Tables.Count;
        try
        {
            await DeferredIndexes.RebuildAllAsync(target, record, observer, cancellationToken).ConfigureAwait(false);
            return tables;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var file = CopyIndexRecordFile.Open(resolved.Profile.StateDirectory, target);
            foreach (var table in record.Tables)
                file.Set(table, record.Get(table) ?? new List<string>());
            observer.Warning(
                $"The secondary indexes of {string.Join(", ", record.Tables)} stay dropped on {target.Endpoint}: "
                    + $"{(ex is MigrationException m ? m.Reason : ex.Message)} They are recorded in {file.Where}; the next run or "
                    + "Copy-DataPlane into that target builds them."
            );
            return 0;
        }
    }

    private static async Task<RunLock> AcquireAsync(
        ResolvedProfile resolved,
        StateStore store,
        IRunObserver observer,
        CancellationToken cancellationToken
    )
    {
        var deadline = DateTimeOffset.UtcNow + WaitForRun;
        var asked = false;
        while (true)
        {
            try
            {
                return await RunLocking.AcquireAsync(resolved, observer, cancellationToken).ConfigureAwait(false);
            }
            catch (MigrationException ex) when (ex.ErrorId == ErrorIds.RunInProgress && DateTimeOffset.UtcNow < deadline)
            {
                if (!asked)
                {
                    RunSignals.RequestStop(store.Directory);
                    observer.Verbose(
                        $"A run is in progress ({ex.Reason}); asked it to stop ({RunSignals.StopFile}), waiting up to "
                            + $"{WaitForRun.TotalSeconds:0} s for it to let go."
                    );
                    asked = true;
                }

                await Task.Delay(500, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static MigrationException PastFlip(MigrationState state, StateStore store) =>
        new(
            ErrorIds.CancelNotPossible,
            MigrationErrorKind.PreflightFailed,
            store.Path,
            $"Run {state.RunId} ({state.Options.Direction}) has begun to flip the data location: the target may already serve the "
                + "data, so it cannot be stopped and undone.",
            $"finish it: rerun Start-DataMigration -To {state.Options.Direction.Target().Parameter()} (it resumes after the flip and removes the capture)."
        );
}
