using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Copy;
using MarketplaceMigration.Engine.Errors;
using MarketplaceMigration.Engine.State;
using MarketplaceMigration.Engine.Tables;
using MarketplaceMigration.Engine.Verify;

namespace MarketplaceMigration.Engine.Steps;

/// <summary>
/// Online step 6, under the gate and after the drain proof: replay every change left (nothing new
/// arrives), carry each table's AUTO_INCREMENT as the source has it now, verify every table's count and
/// every row changed since the last verification while live (tables that verification could not settle
/// are verified whole), then run the cutover hook. A difference stops the run with the gate set; its
/// tables are copied again by the rerun. A hook that throws flips nothing, and the rerun runs it again.
/// </summary>
public sealed class FinalSyncStep : IMigrationStep
{
    /// <summary>The step's name.</summary>
    public const string StepName = "final_sync";

    /// <inheritdoc />
    public int Number => 6;

    /// <inheritdoc />
    public string Name => StepName;

    /// <inheritdoc />
    public bool NeedsGate => true;

    /// <inheritdoc />
    public string Describe(RunContext context) =>
        $"replay the changes left on {context.Source.Endpoint}, carry AUTO_INCREMENT, verify every count and each row changed since the last verification"
        + (context.CutoverHook != null ? ", then run the cutover hook" : string.Empty);

    /// <inheritdoc />
    public async Task ExecuteAsync(RunContext context, StepOutcome outcome, CancellationToken cancellationToken)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var (plan, layouts) = await OnlineRun.IntactCaptureAsync(context, cancellationToken).ConfigureAwait(false);
        var replayer = await OnlineRun.ReplayerAsync(context, plan, layouts, cancellationToken).ConfigureAwait(false);
        var progress = OnlineRun.Progress(context);
        var drained = await replayer.DrainAsync(context.Options.Parallelism, cancellationToken).ConfigureAwait(false);
        progress.EntriesReplayed += drained.Entries;
        (progress.ChangesWaiting, progress.SecondsBehind, progress.BacklogAt) = (0, 0, DateTimeOffset.UtcNow);
        context.Save();
        var replaySeconds = watch.Elapsed.TotalSeconds;

        await CarryAutoIncrementAsync(context, layouts, cancellationToken).ConfigureAwait(false);

        var whole = progress.VerifiedFromRound is null ? context.Profile.Tables.ToList() : progress.UnsettledTables.ToList();
        var keyed = context.Profile.Tables.Where(t => !whole.Contains(t)).ToList();
        // The ranges the last verification while live left different (the rows the shop kept writing), compared again.
        var ranges = progress
            .UnsettledRanges.Where(r => keyed.Contains(r.Key) && r.Value.Count > 0)
            .ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal);
        long keys = 0;
        // One target (the written node, then each other node of a Galera target): every count, the rows changed since the
        // last verification while live, the ranges it left different, and the tables it did not verify whole.
        async Task<List<TableVerification>> VerifyAgainstAsync(ConnectionTarget target, VerifySettings settings, CancellationToken token)
        {
            var results = new List<TableVerification>();
            if (keyed.Count > 0)
            {
                var from = progress.VerifiedFromRound!.Value;
                results.AddRange(
                    await DataVerifier
                        .VerifyKeysAsync(
                            context.Source,
                            target,
                            keyed,
                            async (table, token) =>
                            {
                                // The rows changed since the last verification while live, and those it left in flux.
                                var changed = (
                                    await OnlineRun.KeysToVerifyAsync(replayer, progress, table, from, token).ConfigureAwait(false)
                                ).Values.ToList();
                                if (target == context.Target)
                                    System.Threading.Interlocked.Add(ref keys, changed.Count);
                                return changed;
                            },
                            counts: true,
                            settings,
                            context.Observer,
                            token
                        )
                        .ConfigureAwait(false)
                );
            }

            if (ranges.Count > 0)
            {
                results.AddRange(
                    await DataVerifier
                        .VerifyRangesAsync(context.Source, target, ranges, settings, context.Observer, token)
                        .ConfigureAwait(false)
                );
            }

            if (whole.Count > 0)
            {
                results.AddRange(
                    await DataVerifier
                        .VerifyAsync(context.Source, target, whole, settings with { Mode = VerificationMode.Full }, context.Observer, token)
                        .ConfigureAwait(false)
                );
            }

            return results;
        }

        var results = await VerifyAgainstAsync(context.Target, context.Verification(StepName), cancellationToken).ConfigureAwait(false);
        var bad = results.Where(r => !r.Equal).ToList();
        if (bad.Count > 0)
        {
            // The rerun copies the differing tables again (the gate stays set: the source is still), verifies them while "live", and comes back here.
            foreach (var table in bad)
                context.State.CopyOf(table.Table)?.Reset();
            foreach (var step in context.State.Steps.Where(s => s.Name is CopyLiveStep.StepName or CatchUpStep.StepName))
                step.Status = StepStatus.Pending;
            progress.VerifiedFromRound = null;
            throw new MigrationException(
                bad.Any(b => b.SourceRows != b.TargetRows) ? ErrorIds.RowCountMismatch : ErrorIds.ChecksumMismatch,
                MigrationErrorKind.VerificationFailed,
                bad[0].Table,
                $"{bad.Count} table(s) differ under the gate between {context.Source.Endpoint} and {context.Target.Endpoint} after the final replay: "
                    + string.Join(
                        "; ",
                        bad.Take(5)
                            .Select(b =>
                                (
                                    b.SourceRows < 0
                                        ? $"{b.Table}: {b.MismatchedChunks} key range(s) different"
                                        : $"{b.Table}: {b.SourceRows} source row(s), {b.TargetRows} target row(s)"
                                )
                                + (
                                    b.Differences.Count > 0
                                        ? ", rows " + string.Join(", ", b.Differences.Take(3).Select(d => $"({d.Key}) {d.Kind}"))
                                        : string.Empty
                                )
                            )
                    )
                    + ".",
                "investigate writes that bypass the triggers (a cascade from outside the data plane, a restored backup, changes "
                    + "on the target), then rerun: the differing tables are copied again behind the gate and verified."
            );
        }

        // A Galera target: the same checks on each other node, each read after the cluster's write-sets (a node that
        // differs is the cluster's fault, not the replay's, and names itself; the gate stays set). The nodes at once (on a
        // real cluster each is a machine of its own, so the freeze grows by one node's checks, not by all); the first node
        // that fails stops the others.
        var (topology, nodes) = await IntegrityCheckStep.OtherNodesAsync(context, cancellationToken).ConfigureAwait(false);
        // The source is still under the gate: each table's count, taken against the written node, holds for the others too.
        var sourceCounts = results
            .Where(r => r.SourceRows >= 0)
            .GroupBy(r => r.Table, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().SourceRows, StringComparer.Ordinal);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var checks = nodes
            .Select(async node =>
            {
                try
                {
                    await IntegrityCheckStep
                        .VerifyOtherNodeAsync(
                            topology,
                            node,
                            context.Target,
                            async () =>
                                await VerifyAgainstAsync(
                                        node,
                                        context.Verification(StepName) with
                                        {
                                            SyncWaitTarget = true,
                                            SourceCounts = sourceCounts,
                                        },
                                        stop.Token
                                    )
                                    .ConfigureAwait(false),
                            gateSet: true,
                            stop.Token
                        )
                        .ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    stop.Cancel();
                    throw;
                }
            })
            .ToList();
        try
        {
            await Task.WhenAll(checks).ConfigureAwait(false);
        }
        catch (Exception) when (checks.Any(c => c.IsFaulted && c.Exception!.InnerException is not OperationCanceledException))
        {
            // The node's own failure, not the cancellation it caused in the others.
            var first = checks.First(c => c.IsFaulted && c.Exception!.InnerException is not OperationCanceledException);
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first.Exception!.InnerException!).Throw();
        }

        var verifySeconds = watch.Elapsed.TotalSeconds - replaySeconds;
        if (context.CutoverHook != null)
        {
            try
            {
                await context.CutoverHook(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new MigrationException(
                    ErrorIds.CutoverHookFailed,
                    MigrationErrorKind.Unspecified,
                    "CutoverHook",
                    $"The cutover hook failed: {ex.Message.TrimEnd().TrimEnd('.')}. Nothing was flipped.",
                    "fix what the hook checks, then rerun the same command: it replays, verifies and runs the hook again before the flip.",
                    ex
                );
            }
        }

        outcome.Summary =
            $"Under the gate: replayed {drained.Entries} change(s) in {replaySeconds:0.00} s; {context.Profile.Tables.Count} tables' counts and {keys} "
            + "changed row(s) equal"
            + (nodes.Count > 0 ? $" on every node of the Galera target ({nodes.Count + 1})" : string.Empty)
            + (ranges.Count > 0 ? $", and {ranges.Values.Sum(r => r.Count)} key range(s) left different while live" : string.Empty)
            + (whole.Count > 0 ? $" ({whole.Count} verified whole)" : string.Empty)
            + (context.CutoverHook != null ? "; cutover hook passed." : ".");
        outcome
            .Set("FinalReplayEntries", drained.Entries)
            .Set("KeysVerified", keys)
            .Set("TablesVerifiedWhole", whole.Count)
            .Set("RangesVerified", ranges.Values.Sum(r => r.Count))
            .Set("ReplaySeconds", Math.Round(replaySeconds, 3).ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Set("VerifySeconds", Math.Round(verifySeconds, 3).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The source's counters now (the live copy's plan read them before the writes it raced).</summary>
    private static async Task CarryAutoIncrementAsync(
        RunContext context,
        IReadOnlyList<TableLayout> layouts,
        CancellationToken cancellationToken
    )
    {
        using (var connection = await ConnectionFactory.OpenAsync(context.Source, cancellationToken).ConfigureAwait(false))
        {
            var counters = await AutoIncrement
                .ReadAllAsync(connection, layouts.Select(l => l.Table).ToList(), cancellationToken)
                .ConfigureAwait(false);
            foreach (var layout in layouts)
            {
                var record = context.State.CopyOf(layout.Table);
                if (record != null)
                    record.AutoIncrement = counters.TryGetValue(layout.Table, out var counter) ? counter : null;
            }
        }

        await CopyPlan
            .CarryAutoIncrementAsync(context.Target, layouts, t => context.State.CopyOf(t)!, cancellationToken)
            .ConfigureAwait(false);
    }
}
