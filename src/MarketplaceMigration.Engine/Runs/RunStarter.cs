using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.DataPlane;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.Engine.Errors;
using MarketplaceMigration.Engine.Location;
using MarketplaceMigration.Engine.Maintenance;
using MarketplaceMigration.Engine.State;
using MarketplaceMigration.Engine.Steps;

namespace MarketplaceMigration.Engine.Runs;

/// <summary>
/// Decides from the evidence how a run begins: a new run (the data is where the direction says it
/// starts, both selectors agree), the resume of an unfinished run in the same direction, or a
/// restart at set_maintenance when the gate was lifted by hand before the flip. It refuses a run in
/// the other direction while one is unfinished, and stops when the evidence is ambiguous.
/// </summary>
public static class RunStarter
{
    /// <summary>The state to run with and how it was chosen. Writes nothing when <paramref name="readOnly"/>.</summary>
    public static async Task<(MigrationState State, ResumeDecision Decision)> DecideAsync(
        ResolvedProfile resolved,
        StateStore store,
        RunOptions requested,
        bool readOnly,
        IRunObserver observer,
        CancellationToken cancellationToken
    )
    {
        if (resolved is null)
            throw new ArgumentNullException(nameof(resolved));
        if (store is null)
            throw new ArgumentNullException(nameof(store));
        if (requested is null)
            throw new ArgumentNullException(nameof(requested));
        observer ??= NullRunObserver.Instance;
        var existing = store.Load();
        if (
            existing is { Status: RunStatus.Completed }
            && existing.Options.Direction == requested.Direction
            && await DataLocationFlip
                .ReadAsync(resolved.SystemConfig, resolved.Profile.ClusterConfigPath, cancellationToken)
                .ConfigureAwait(false)
                is { } location
            && location.Role() == requested.Direction.Target()
        )
        {
            return (existing, ResumeDecision.AlreadyDone);
        }

        if (existing is { Status: RunStatus.Completed or RunStatus.Canceled })
        {
            if (!readOnly)
                store.Archive(existing);
            existing = null;
        }

        if (existing is null)
            return (await NewRunAsync(resolved, requested, cancellationToken).ConfigureAwait(false), ResumeDecision.NewRun);

        var next = existing.NextStep;
        if (existing.Options.Direction != requested.Direction)
        {
            throw new MigrationException(
                ErrorIds.DirectionMismatch,
                MigrationErrorKind.PreflightFailed,
                store.Path,
                $"Run {existing.RunId} ({existing.Options.Direction}, started {existing.StartedAt:u}) is unfinished: it stopped "
                    + $"at step {next?.Number} {next?.Name} ({next?.Status}). A {requested.Direction} run cannot start while it is.",
                $"finish it first with Start-DataMigration -To {existing.Options.Direction.Target().Parameter()} (it resumes "
                    + $"there), then run -To {(requested.Direction == MigrationDirection.ToCluster ? "Cluster" : "Shopware")}."
            );
        }

        if (existing.Options.Online != requested.Online)
        {
            // Resuming in the mode the run started in while the operator asked for the other would be a surprise either
            // way (an online run's capture on the shop's tables, or an offline run's gate), so the operator chooses.
            string Mode(bool online) => online ? "online (-Online)" : "offline";
            throw new MigrationException(
                ErrorIds.ModeMismatch,
                MigrationErrorKind.PreflightFailed,
                store.Path,
                $"Run {existing.RunId} ({existing.Options.Direction}, {Mode(existing.Options.Online)}, started {existing.StartedAt:u}) is "
                    + $"unfinished: it stopped at step {next?.Number} {next?.Name} ({next?.Status}). A rerun resumes a run in the mode "
                    + $"it started in, and this one asks for {Mode(requested.Online)}.",
                $"resume it {(existing.Options.Online ? "with" : "without")} -Online, or end it with Stop-DataMigration (it removes "
                    + $"an online run's capture and lifts no gate it did not set), then start again {(requested.Online ? "with" : "without")} -Online."
            );
        }

        if (!existing.Tables.SequenceEqual(resolved.Profile.Tables))
        {
            throw new MigrationException(
                ErrorIds.StateIncompatible,
                MigrationErrorKind.CheckpointIncompatible,
                store.Path,
                $"Run {existing.RunId} was started with another table list ({existing.Tables.Count} tables) than the profile now "
                    + $"gives ({resolved.Profile.Tables.Count}).",
                "rerun with the table list the run started with (the state file lists it), so it can finish."
            );
        }

        existing.Options = existing.Options with { DropSource = existing.Options.DropSource || requested.DropSource };
        var gateStepDone = existing.Step(SetMaintenanceStep.StepName).Status == StepStatus.Succeeded;
        // Once every step before the lift is done, an open gate is the lift's own work (a run stopped
        // between lifting the gate and recording it) or a harmless early lift: the data is verified and
        // served from the target. The rerun just finishes the lift (and, online, the capture's removal after it).
        var onlyTheLiftLeft = existing
            .Steps.TakeWhile(s => s.Name != ClearMaintenanceStep.StepName)
            .All(s => s.Status is StepStatus.Succeeded or StepStatus.Skipped);
        if (
            gateStepDone
            && !onlyTheLiftLeft
            && existing.Step(ClearMaintenanceStep.StepName).Status != StepStatus.Succeeded
            && !await MaintenanceGate.IsSetAsync(resolved.Shopware, cancellationToken).ConfigureAwait(false)
        )
        {
            if (existing.Flip != null)
                throw GateLiftedAfterFlip(existing, store.Path);
            if (existing.Options.Online)
            {
                // The capture kept recording while the gate was open: catch up again, then freeze again. No copy is lost.
                observer.Warning(
                    $"The maintenance gate was lifted while online run {existing.RunId} was unfinished: the capture recorded the "
                        + $"writes since. The run catches up again from {CatchUpStep.StepName} and sets the gate again."
                );
                var from = existing.Steps.FindIndex(s => s.Name == CatchUpStep.StepName);
                foreach (var step in existing.Steps.Skip(from))
                    step.Status = StepStatus.Pending;
                return (existing, ResumeDecision.RestartAfterGateLifted);
            }

            observer.Warning(
                $"The maintenance gate was lifted while run {existing.RunId} was unfinished: writes may have reached the source "
                    + "since it was copied. The run starts again at set_maintenance and copies again."
            );
            foreach (var step in existing.Steps.Where(s => s.Number >= 2))
                step.Status = StepStatus.Pending;
            existing.Copy.Clear();
            return (existing, ResumeDecision.RestartAfterGateLifted);
        }

        observer.Verbose($"Resuming run {existing.RunId} ({existing.Options.Direction}) at step {next?.Number} {next?.Name}.");
        return (existing, ResumeDecision.Resume);
    }

    /// <summary>The error for a gate lifted by hand after the selectors began to flip: both databases may have taken writes.</summary>
    public static MigrationException GateLiftedAfterFlip(MigrationState state, string statePath) =>
        new(
            ErrorIds.GateLiftedDuringRun,
            MigrationErrorKind.OwnershipAmbiguous,
            statePath,
            $"The maintenance gate was lifted by hand after run {state.RunId} began to flip the selectors: writes may have "
                + "reached either database, so neither copy can be trusted blindly.",
            "verify manually, do not re-run: set the gate (Set-MaintenanceGate), compare both ends (Compare-DataPlane / "
                + "Test-DataIntegrity), decide where the current data is, then set both selectors with Set-DataLocation and move "
                + "the state file aside."
        );

    private static async Task<MigrationState> NewRunAsync(
        ResolvedProfile resolved,
        RunOptions requested,
        CancellationToken cancellationToken
    )
    {
        var location = await DataLocationFlip
            .ReadAsync(resolved.SystemConfig, resolved.Profile.ClusterConfigPath, cancellationToken)
            .ConfigureAwait(false);
        if (!location.Agree)
        {
            throw new MigrationException(
                ErrorIds.SelectorsDisagree,
                MigrationErrorKind.PreflightFailed,
                location.ClusterConfigPath,
                "The data-location selectors disagree and no unfinished run explains it: Shopware's dataLocation says "
                    + $"'{location.ShopwareSelector}', {location.ClusterConfigPath} says '{location.ClusterSelector ?? "(not set)"}'.",
                "find out where the current data is (Test-DataIntegrity / Compare-DataPlane), then make both selectors say so "
                    + "with Set-DataLocation (or marketplace:remote:cluster-config:init), and rerun."
            );
        }

        if (location.Role() == requested.Direction.Target())
        {
            throw new MigrationException(
                ErrorIds.AlreadyAtLocation,
                MigrationErrorKind.PreflightFailed,
                location.ClusterConfigPath,
                $"The data plane already lives in '{location.Location}' (both selectors agree): there is nothing to move {requested.Direction}.",
                $"to move it back, run Start-DataMigration -To {requested.Direction.Source().Parameter()}."
            );
        }

        return new MigrationState
        {
            Options = requested with { ChunkRows = resolved.Profile.ChunkRows, Parallelism = resolved.Profile.Parallelism },
            Source = resolved.For(requested.Direction.Source()).Endpoint.ToString(),
            Target = resolved.For(requested.Direction.Target()).Endpoint.ToString(),
            Tables = resolved.Profile.Tables.ToList(),
            Steps = MigrationRunner
                .StepsFor(requested)
                .Select(
                    (s, i) =>
                        new StepState
                        {
                            Number = i + 1,
                            Name = s.Name,
                            Status = StepStatus.Pending,
                        }
                )
                .ToList(),
            Online = requested.Online ? new OnlineProgress() : null,
        };
    }
}
