using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Errors;
using MarketplaceMigration.Engine.Online;
using MarketplaceMigration.Engine.State;
using MarketplaceMigration.Engine.Tables;

namespace MarketplaceMigration.Engine.Steps;

/// <summary>What the online steps share: the capture's plan, the proof it is still whole, and a replayer whose rounds the state records.</summary>
internal static class OnlineRun
{
    /// <summary>The run's online record (created on first use).</summary>
    public static OnlineProgress Progress(RunContext context) => context.State.Online ??= new OnlineProgress();

    /// <summary>
    /// The capture's plan and the layouts, after proving every trigger and changelog is still on the source. A capture that
    /// is gone or incomplete may have missed writes: the run goes back to capture_changes and copies again.
    /// </summary>
    /// <returns>The plan and the tables' layouts, both from one read of the source's schema.</returns>
    public static async Task<(CapturePlan Plan, IReadOnlyList<TableLayout> Layouts)> IntactCaptureAsync(
        RunContext context,
        CancellationToken cancellationToken
    )
    {
        Schema.SchemaSnapshot snapshot;
        using (var connection = await Connections.ConnectionFactory.OpenAsync(context.Source, cancellationToken).ConfigureAwait(false))
        {
            snapshot = await Schema.SchemaReader.ReadAsync(connection, context.Profile.Tables, cancellationToken).ConfigureAwait(false);
        }

        var plan = CapturePlan.From(snapshot, context.Profile.Tables);
        var missing = await ChangeCapture.MissingAsync(context.Source, plan, cancellationToken).ConfigureAwait(false);
        if (missing.Count == 0)
            return (plan, LayoutReader.From(context.Source, snapshot, context.Profile.Tables));
        foreach (var step in context.State.Steps)
        {
            if (step.Name is CaptureChangesStep.StepName or CopyLiveStep.StepName or CatchUpStep.StepName)
                step.Status = StepStatus.Pending;
        }

        context.State.Copy.Clear();
        Progress(context).VerifiedFromRound = null;
        context.Save();
        throw new MigrationException(
            ErrorIds.CaptureMissing,
            MigrationErrorKind.PreflightFailed,
            context.Source.Endpoint.ToString(),
            $"The change capture on {context.Source.Endpoint} is incomplete "
                + $"({string.Join(", ", System.Linq.Enumerable.Take(missing, 4))}"
                + $"{(missing.Count > 4 ? $" and {missing.Count - 4} more" : string.Empty)} missing): "
                + "writes since then may not be in the changelog, so the copy cannot be trusted.",
            "rerun the same command: it installs the capture again and copies again (nothing of the source changes)."
        );
    }

    /// <summary>A replayer over the run's tables; its rounds continue after the highest one any changelog records.</summary>
    public static async Task<ChangeReplayer> ReplayerAsync(
        RunContext context,
        CapturePlan plan,
        IReadOnlyList<TableLayout> layouts,
        CancellationToken cancellationToken
    )
    {
        var progress = Progress(context);
        progress.Round = Math.Max(
            progress.Round,
            await ChangeReplayer.LastRoundAsync(context.Source, plan, cancellationToken).ConfigureAwait(false)
        );
        var gate = new object();
        return new ChangeReplayer(
            context.Source,
            context.Target,
            layouts,
            plan,
            () =>
            {
                lock (gate)
                    return ++progress.Round;
            },
            context.Observer
        );
    }

    /// <summary>
    /// The rows of <paramref name="table"/> to verify by key: those changed since round <paramref name="since"/> and those an
    /// earlier check while live left in flux (<see cref="OnlineProgress.UnsettledKeys"/>), each once, by their key text.
    /// </summary>
    public static async Task<Dictionary<string, IReadOnlyList<KeyValue>>> KeysToVerifyAsync(
        ChangeReplayer replayer,
        OnlineProgress progress,
        string table,
        long since,
        CancellationToken cancellationToken
    )
    {
        var keys = new Dictionary<string, IReadOnlyList<KeyValue>>(StringComparer.Ordinal);
        if (progress.UnsettledKeys.TryGetValue(table, out var carried))
        {
            foreach (var key in carried)
                keys[Verify.DataVerifier.KeyText(key)] = key;
        }

        foreach (var key in await replayer.ChangedSinceAsync(table, since, cancellationToken).ConfigureAwait(false))
            keys[Verify.DataVerifier.KeyText(key)] = key;
        return keys;
    }

    /// <summary>Refuses to go on when Stop-DataMigration asked this run to stop.</summary>
    public static void StopIfAsked(RunContext context)
    {
        if (!RunSignals.StopRequested(context.Profile.StateDirectory))
            return;
        throw new MigrationException(
            ErrorIds.StoppedByOperator,
            MigrationErrorKind.Canceled,
            context.StatePath,
            "Stop-DataMigration asked this run to stop.",
            "Stop-DataMigration removes the capture once this process has let go of the run; to go on instead, delete "
                + RunSignals.StopFile
                + " in the state directory and rerun."
        );
    }
}
