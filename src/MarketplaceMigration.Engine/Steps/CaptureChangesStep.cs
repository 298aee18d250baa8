using System;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Online;

namespace MarketplaceMigration.Engine.Steps;

/// <summary>
/// Online step 2: check that changes can be captured (cascades stay inside the data plane, triggers
/// are possible beside the shop's own, binary logging accepts them), then put a changelog and its
/// triggers on every source table (<see cref="ChangeCapture"/>). Nothing is copied before every
/// table's capture is in place. Whatever capture is already on the tables (an interrupted attempt, a run
/// whose state is gone) is removed first, so the triggers always match the schema as it is now.
/// </summary>
public sealed class CaptureChangesStep : IMigrationStep
{
    /// <summary>The step's name.</summary>
    public const string StepName = "capture_changes";

    /// <inheritdoc />
    public int Number => 2;

    /// <inheritdoc />
    public string Name => StepName;

    /// <inheritdoc />
    public bool NeedsGate => false;

    /// <inheritdoc />
    public string Describe(RunContext context) =>
        $"put a changelog and AFTER INSERT/UPDATE/DELETE triggers on each of the {context.Profile.Tables.Count} data-plane tables of {context.Source.Endpoint} "
        + $"(each trigger waits at most {ChangeCapture.LockWaitSeconds} s for its table's lock, {ChangeCapture.Attempts} tries)";

    /// <inheritdoc />
    public async Task ExecuteAsync(RunContext context, StepOutcome outcome, CancellationToken cancellationToken)
    {
        var plan = await CapturePlan.ReadAsync(context.Source, context.Profile.Tables, cancellationToken).ConfigureAwait(false);
        await ChangeCapture.PreflightAsync(context.Source, plan, context.Observer, cancellationToken).ConfigureAwait(false);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        // Nothing has been copied yet: a capture left on these tables (an earlier run's, whose state is gone, or this
        // step's own interrupted attempt) is removed first, so every trigger and changelog matches today's schema.
        var (stale, staleLogs) = await ChangeCapture
            .RemoveAsync(context.Source, context.Profile.Tables, context.Observer, cancellationToken)
            .ConfigureAwait(false);
        if (stale + staleLogs > 0)
            context.Observer.Verbose(
                $"Removed {stale} capture trigger(s) and {staleLogs} changelog(s) already on {context.Source.Endpoint} before installing the capture afresh."
            );
        var created = await ChangeCapture.InstallAsync(context.Source, plan, context.Observer, cancellationToken).ConfigureAwait(false);
        var progress = OnlineRun.Progress(context);
        progress.CaptureInstalledAt ??= DateTimeOffset.UtcNow;
        progress.CaptureRemovedAt = null;
        var cascades = 0;
        foreach (var table in plan.Tables)
            cascades += table.Cascades.Count;
        outcome.Summary =
            $"Capturing changes on {plan.Tables.Count} tables of {context.Source.Endpoint} ({created} trigger(s) created, "
            + $"{cascades} cascading foreign key(s) logged through their parents).";
        outcome
            .Set("TriggersCreated", created)
            .Set("CascadesLogged", cascades)
            .Set("InstallSeconds", Math.Round(watch.Elapsed.TotalSeconds, 2).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
