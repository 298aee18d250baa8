using System;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Online;

namespace MarketplaceMigration.Engine.Steps;

/// <summary>
/// Online step 12, the last, after the gate lifts: drop every capture trigger and changelog from the old
/// source (and the run's signal files). No trigger outlives the run. It needs no gate: the shop writes to
/// the target since the flip, so nothing the capture could record is lost, and a drop that waits for a
/// metadata lock (a long read on an old table) leaves the shop serving while it retries, not frozen. A
/// run stopped here is finished by a rerun (Stop-DataMigration refuses a run past its flip).
/// </summary>
public sealed class RemoveCaptureStep : IMigrationStep
{
    /// <summary>The step's name.</summary>
    public const string StepName = "remove_capture";

    /// <inheritdoc />
    public int Number => 12;

    /// <inheritdoc />
    public string Name => StepName;

    /// <inheritdoc />
    public bool NeedsGate => false;

    /// <inheritdoc />
    public string Describe(RunContext context) => $"drop the capture triggers and changelogs from {context.Source.Endpoint}";

    /// <inheritdoc />
    public async Task ExecuteAsync(RunContext context, StepOutcome outcome, CancellationToken cancellationToken)
    {
        var (triggers, changelogs) = await ChangeCapture
            .RemoveAsync(context.Source, context.Profile.Tables, context.Observer, cancellationToken)
            .ConfigureAwait(false);
        RunSignals.Clear(context.Profile.StateDirectory);
        OnlineRun.Progress(context).CaptureRemovedAt = DateTimeOffset.UtcNow;
        outcome.Summary = $"Removed {triggers} trigger(s) and {changelogs} changelog(s) from {context.Source.Endpoint}.";
        outcome.Set("TriggersRemoved", triggers).Set("ChangelogsRemoved", changelogs);
    }
}
