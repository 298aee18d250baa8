using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.DataPlane;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.Engine.Errors;
using MarketplaceMigration.Engine.Maintenance;
using MarketplaceMigration.Engine.State;
using MarketplaceMigration.Engine.Steps;

namespace MarketplaceMigration.Engine.Runs;

/// <summary>
/// Runs the ten steps in order under the run lock: each is bracketed by a state write (status,
/// attempt, timing, error), the gate is checked before every step that relies on it, and the run
/// stops at the first failure with the gate as it is. Emits one result per step.
/// </summary>
public static class MigrationRunner
{
    /// <summary>The ten steps, in order. The names are a contract.</summary>
    public static IReadOnlyList<IMigrationStep> Steps { get; } =
        new IMigrationStep[]
        {
            new SchemaCheckStep(),
            new SetMaintenanceStep(),
            new DumpTablesStep(),
            new ImportTablesStep(),
            new IntegrityCheckStep(),
            new FlipDataLocationStep(),
            new RestartClusterStep(),
            new SmokeTestStep(),
            new DropSourceTablesStep(),
            new ClearMaintenanceStep(),
        };

    /// <summary>
    /// The online run's twelve steps (docs/online.md): the capture and the live copy and catch-up come
    /// before the gate; under it only the final replay and verification and the cutover. The capture is
    /// removed from the old source after the gate lifts: no shop writes there any more, and the drops
    /// (a metadata lock per table) neither lengthen the freeze nor hold the shop frozen if they must wait.
    /// The steps shared with the offline run are the same classes with the same bodies.
    /// </summary>
    public static IReadOnlyList<IMigrationStep> OnlineSteps { get; } =
        new IMigrationStep[]
        {
            Steps[0],
            new CaptureChangesStep(),
            new CopyLiveStep(),
            new CatchUpStep(),
            Steps[1],
            new FinalSyncStep(),
            Steps[5],
            Steps[6],
            Steps[7],
            Steps[8],
            Steps[9],
            new RemoveCaptureStep(),
        };

    /// <summary>The steps a run with these options executes, in order.</summary>
    public static IReadOnlyList<IMigrationStep> StepsFor(RunOptions options) => options?.Online == true ? OnlineSteps : Steps;

    /// <summary>Runs (or resumes) a move.</summary>
    /// <param name="resolved">The settings.</param>
    /// <param name="requested">The options asked for (a resumed run keeps its own, but -DropSource may be added).</param>
    /// <param name="observer">Messages and progress.</param>
    /// <param name="confirmStep">Asked before each step (-Confirm); false stops the run there.</param>
    /// <param name="confirmDestructive">Asked before the source is emptied (the cmdlet skips it with -Force); false keeps it.</param>
    /// <param name="emit">Receives one result per step.</param>
    /// <param name="cancellationToken">Stops the run (the state records where).</param>
    public static Task RunAsync(
        ResolvedProfile resolved,
        RunOptions requested,
        IRunObserver observer,
        Func<string, string, bool> confirmStep,
        Func<string, string, bool> confirmDestructive,
        Action<StepResult> emit,
        CancellationToken cancellationToken
    ) => RunAsync(resolved, requested, observer, confirmStep, confirmDestructive, emit, null, cancellationToken);

    /// <summary>Runs (or resumes) a move; an online run calls <paramref name="cutoverHook"/> under the gate before its flip.</summary>
    public static async Task RunAsync(
        ResolvedProfile resolved,
        RunOptions requested,
        IRunObserver observer,
        Func<string, string, bool> confirmStep,
        Func<string, string, bool> confirmDestructive,
        Action<StepResult> emit,
        Func<CancellationToken, Task>? cutoverHook,
        CancellationToken cancellationToken
    )
    {
        if (resolved is null)
            throw new ArgumentNullException(nameof(resolved));
        if (emit is null)
            throw new ArgumentNullException(nameof(emit));
        observer ??= NullRunObserver.Instance;
        var store = new StateStore(resolved.Profile.StateDirectory);
        using var runLock = await RunLocking.AcquireAsync(resolved, observer, cancellationToken).ConfigureAwait(false);
        var (state, decision) = await RunStarter
            .DecideAsync(resolved, store, requested, readOnly: false, observer, cancellationToken)
            .ConfigureAwait(false);
        if (decision == ResumeDecision.AlreadyDone)
        {
            // Idempotent for Ansible and CI: the steps come back as done earlier (Executed false), nothing changes.
            observer.Warning(
                $"Already done: run {state.RunId} finished this move at {state.FinishedAt:u} and the data plane lives in "
                    + $"'{state.Options.Direction.Target().Selector()}'; nothing to do."
            );
            foreach (var step in StepsFor(state.Options))
                emit(new StepResult(state.RunId, state.Options.Direction, state.Step(step.Name), executed: false));
            return;
        }

        state.Status = RunStatus.Running;
        store.Save(state);
        observer.Verbose(
            $"Run {state.RunId} ({state.Options.Direction}, {decision}): {state.Source} -> {state.Target}, {state.Tables.Count} tables; state in {store.Path}."
        );
        var context = new RunContext(resolved, state, store, observer, confirmDestructive, cutoverHook);
        var plan = StepsFor(state.Options);

        foreach (var step in plan)
        {
            var record = state.Step(step.Name);
            if (record.Status is StepStatus.Succeeded or StepStatus.Skipped)
            {
                emit(new StepResult(state.RunId, state.Options.Direction, record, executed: false));
                continue;
            }

            if (step is DropSourceTablesStep && !state.Options.DropSource)
            {
                record.Status = StepStatus.Skipped;
                record.Summary = "Not asked (no -DropSource): the source keeps its rows.";
                observer.Verbose($"Step {record.Number} {step.Name}: skipped ({record.Summary})");
                store.Save(state);
                emit(new StepResult(state.RunId, state.Options.Direction, record, executed: true));
                continue;
            }

            if (!confirmStep($"{state.Source} -> {state.Target}", $"Step {record.Number} {step.Name}: {step.Describe(context)}"))
            {
                observer.Warning(
                    $"Stopped before step {record.Number} {step.Name} at your request; rerun the same command to continue there."
                );
                state.Status = RunStatus.Stopped;
                store.Save(state);
                return;
            }

            await runLock.KeepAsync(observer, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(context, step, record, step.NeedsGate, emit, cancellationToken).ConfigureAwait(false);
        }

        state.Status = RunStatus.Completed;
        state.FinishedAt = DateTimeOffset.UtcNow;
        store.Save(state);
        // The flip's backup of the cluster config file was for recovering this run; it holds passwords.
        try
        {
            if (
                state.Flip != null
                && Location.ClusterConfigWriter.RemoveBackup(resolved.Profile.ClusterConfigPath, state.RunId.Substring(0, 8))
            )
            {
                observer.Verbose(
                    $"Removed the backup of {resolved.Profile.ClusterConfigPath} that the flip wrote: run {state.RunId} is complete."
                );
            }
        }
        catch (Exception ex) when (ex is System.IO.IOException or UnauthorizedAccessException)
        {
            observer.Warning(
                $"The run is complete, but the flip's backup of {resolved.Profile.ClusterConfigPath} (it holds passwords) could "
                    + $"not be removed: {ex.Message} Remove it by hand."
            );
        }

        observer.Verbose($"Run {state.RunId} completed: the data plane lives in '{state.Options.Direction.Target().Selector()}'.");
    }

    /// <summary>What a run would do now, step by step, without changing anything (for -WhatIf).</summary>
    public static async Task<IReadOnlyList<StepResult>> PlanAsync(
        ResolvedProfile resolved,
        RunOptions requested,
        IRunObserver observer,
        CancellationToken cancellationToken
    ) => (await PlanWithRefusalAsync(resolved, requested, observer, cancellationToken).ConfigureAwait(false)).Steps;

    /// <summary>
    /// What a run would do now, and the refusal the real run would meet, found by the same read-only
    /// checks: the start's decision (an unfinished run, the selectors) and, when step 1 is still to run,
    /// its checks (privileges, schemas, writable ends, the restart and ping commands). Changes nothing.
    /// </summary>
    public static async Task<(IReadOnlyList<StepResult> Steps, MigrationException? Refusal)> PlanWithRefusalAsync(
        ResolvedProfile resolved,
        RunOptions requested,
        IRunObserver observer,
        CancellationToken cancellationToken
    )
    {
        if (resolved is null)
            throw new ArgumentNullException(nameof(resolved));
        observer ??= NullRunObserver.Instance;
        var store = new StateStore(resolved.Profile.StateDirectory);
        MigrationState state;
        try
        {
            (state, _) = await RunStarter
                .DecideAsync(resolved, store, requested, readOnly: true, observer, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (MigrationException refusal)
        {
            return (Array.Empty<StepResult>(), refusal);
        }

        var context = new RunContext(resolved, state, store, observer, (_, _) => false);
        MigrationException? refused = null;
        var first = StepsFor(state.Options)[0];
        if (state.Step(first.Name).Status is not (StepStatus.Succeeded or StepStatus.Skipped))
        {
            try
            {
                await first.ExecuteAsync(context, new StepOutcome(), cancellationToken).ConfigureAwait(false); // step 1 only reads
            }
            catch (MigrationException refusal)
            {
                refused = refusal;
            }
        }

        return (Plan(context, state), refused);
    }

    private static IReadOnlyList<StepResult> Plan(RunContext context, MigrationState state) =>
        StepsFor(state.Options)
            .Select(s =>
            {
                var record = state.Step(s.Name);
                var plan = record.Status is StepStatus.Succeeded or StepStatus.Skipped ? "already done" : s.Describe(context);
                return new StepResult(state.RunId, state.Options.Direction, record, executed: false, plan);
            })
            .ToList();

    private static async Task ExecuteAsync(
        RunContext context,
        IMigrationStep step,
        StepState record,
        bool needsGate,
        Action<StepResult> emit,
        CancellationToken cancellationToken
    )
    {
        var state = context.State;
        context.Observer.Verbose($"Step {record.Number} {step.Name} (attempt {record.Attempts + 1}): {step.Describe(context)}.");
        record.Status = StepStatus.Running;
        record.Attempts++;
        record.StartedAt = DateTimeOffset.UtcNow;
        record.FinishedAt = null;
        record.Error = null;
        context.Save();
        var outcome = new StepOutcome();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            if (needsGate)
                await EnsureGateAsync(context, cancellationToken).ConfigureAwait(false);
            await step.ExecuteAsync(context, outcome, cancellationToken).ConfigureAwait(false);
            record.Status = StepStatus.Succeeded;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A server that stops answering after the run first reached it (a step after the first: the tries to reconnect were
            // spent) went away mid-run: ServerLost, which names it, not ServerUnreachable's fix for a wrong host or port.
            var lost = ex is MigrationException { ErrorId: ErrorIds.ServerUnreachable } && record.Number > 1;
            if (Galera.GaleraTopology.IsNotReady(ex))
                ex = Galera.GaleraTopology.NotReady(
                    step is SetMaintenanceStep or ClearMaintenanceStep ? context.Resolved.Shopware : context.Target,
                    ex
                );
            var failure =
                ex is MigrationException known && !lost
                    ? known
                    : await UnexpectedAsync(context, ex, cancellationToken).ConfigureAwait(false);
            record.Status = StepStatus.Failed;
            record.Error = new StepError { Id = failure.ErrorId, Message = failure.Message };
            state.Status = RunStatus.Failed;
            if (step is IntegrityCheckStep && failure.Kind == MigrationErrorKind.VerificationFailed)
            {
                // The differing tables were reset by the step: the rerun copies them again, then verifies.
                state.Step(ImportTablesStep.StepName).Status = StepStatus.Pending;
            }

            Finish(record, outcome, watch);
            context.Save();
            emit(new StepResult(state.RunId, state.Options.Direction, record, executed: true));
            throw new MigrationException(
                failure.ErrorId,
                failure.Kind,
                failure.Target ?? step.Name,
                $"Step {record.Number} {step.Name} failed: {failure.Reason} The maintenance gate is left as it "
                    + $"is{(needsGate || step is SetMaintenanceStep ? " (set: writes stay blocked)" : string.Empty)}; rerun the "
                    + "same command to resume at this step.",
                failure.Fix,
                failure
            );
        }

        Finish(record, outcome, watch);
        context.Save();
        context.Observer.Verbose($"Step {record.Number} {step.Name}: {record.Summary} ({record.DurationSeconds:0.00} s)");
        emit(new StepResult(state.RunId, state.Options.Direction, record, executed: true));
    }

    private static void Finish(StepState record, StepOutcome outcome, System.Diagnostics.Stopwatch watch)
    {
        record.FinishedAt = DateTimeOffset.UtcNow;
        record.DurationSeconds = Math.Round(watch.Elapsed.TotalSeconds, 3);
        record.Summary = outcome.Summary.Length > 0 ? outcome.Summary : record.Summary;
        foreach (var pair in outcome.Details)
            record.Details[pair.Key] = pair.Value;
    }

    private static async Task EnsureGateAsync(RunContext context, CancellationToken cancellationToken)
    {
        if (await MaintenanceGate.IsSetAsync(context.Resolved.Shopware, cancellationToken).ConfigureAwait(false))
            return;
        if (context.State.Flip != null)
            throw RunStarter.GateLiftedAfterFlip(context.State, context.StatePath);
        throw new MigrationException(
            ErrorIds.GateLiftedDuringRun,
            MigrationErrorKind.PreflightFailed,
            "FlyokaiMarketplaceRemote.config.maintenance",
            "The maintenance gate was lifted by hand during the run, before the flip: the source may take writes that the copy would miss.",
            "rerun the same command: it sets the gate again and copies again from set_maintenance."
        );
    }

    private static async Task<MigrationException> UnexpectedAsync(RunContext context, Exception ex, CancellationToken cancellationToken)
    {
        if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            return new MigrationException(
                ErrorIds.Canceled,
                MigrationErrorKind.Canceled,
                null,
                "The run was stopped.",
                "rerun the same command to resume.",
                ex
            );
        }

        if (ConnectionLoss.Is(ex))
        {
            // Name the server that went away: each end gets one short try to answer.
            var down = new List<string>();
            foreach (var end in new[] { context.Source, context.Target })
            {
                if (!await AnswersAsync(end).ConfigureAwait(false))
                    down.Add($"the {(end == context.Source ? "source" : "target")} {end.Endpoint}");
            }

            var which =
                down.Count > 0
                    ? string.Join(" and ", down) + (down.Count > 1 ? " do" : " does") + " not answer now"
                    : $"both {context.Source.Endpoint} and {context.Target.Endpoint} answer again now";
            return new MigrationException(
                ErrorIds.ServerLost,
                MigrationErrorKind.Connection,
                down.Count > 0 ? down[0] : null,
                $"The connection to a database server was lost in the middle of the step ({ex.Message}); {which}. What the step committed is recorded.",
                "bring the server back (its error log says why it went away: a restart, out of memory, a network cut), then rerun "
                    + "the same command: it resumes at this step.",
                ex
            );
        }

        return new MigrationException(
            ErrorIds.Unexpected,
            MigrationErrorKind.Unspecified,
            null,
            $"{ex.GetType().Name}: {ex.Message}",
            "rerun the same command to resume; if it recurs, report it with the state file (it holds no secret).",
            ex
        );
    }

    private static async Task<bool> AnswersAsync(ConnectionTarget end)
    {
        try
        {
            using var probe = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            using var connection = await ConnectionFactory.OpenAsync(end, SessionOptions.Unpooled, probe.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return false;
        }
    }
}
