using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Online;
using MarketplaceMigration.Engine.Verify;

namespace MarketplaceMigration.Engine.Steps;

/// <summary>
/// Online step 4, while the source still takes writes: replay the changelogs in rounds, verify every
/// table once range by range (a range that differs is re-checked after its table's changes are
/// replayed), and go on replaying until what waits would take the freeze only moments. With
/// -PauseBeforeCutover the step then keeps replaying, and verifies everything again every
/// <see cref="ReverifySeconds"/> s (longer when a verification takes long: <see cref="ReverifyAfter"/>), until
/// Approve-DataMigrationCutover (or its file) says go.
/// </summary>
public sealed class CatchUpStep : IMigrationStep
{
    /// <summary>The step's name.</summary>
    public const string StepName = "catch_up";

    /// <summary>The most entries that may wait when the freeze begins.</summary>
    public const int MaxEntriesAtFreeze = 2000;

    /// <summary>How far behind (the oldest waiting entry's age) the replay may be when the freeze begins.</summary>
    public const double MaxSecondsBehindAtFreeze = 5;

    /// <summary>While paused before the cutover, how often at most every table is verified again.</summary>
    public const int ReverifySeconds = 60;

    /// <summary>
    /// While paused before the cutover, the wait between two verifications of every table: <see cref="ReverifySeconds"/>,
    /// or nine times as long as the last one took, whichever is longer, so that verifying again (a read of every row of the
    /// live source) takes at most a tenth of a long pause. The rows changed meanwhile are verified by key after the approval
    /// and under the gate whatever the wait.
    /// </summary>
    internal static TimeSpan ReverifyAfter(TimeSpan lastPass) =>
        TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(ReverifySeconds).Ticks, lastPass.Ticks * 9));

    /// <summary>Changed rows the freeze may be left to verify before the step stops narrowing them down while live.</summary>
    public const int MaxKeysAtFreeze = 1000;

    /// <summary>How many times, after a whole verification, the rows changed since are verified again while live.</summary>
    public const int MaxKeyPasses = 4;

    /// <summary>How many times a range that differs while live is re-checked after a replay.</summary>
    public const int Rechecks = 3;

    /// <inheritdoc />
    public int Number => 4;

    /// <inheritdoc />
    public string Name => StepName;

    /// <inheritdoc />
    public bool NeedsGate => false;

    /// <inheritdoc />
    public string Describe(RunContext context) =>
        $"replay the changes captured on {context.Source.Endpoint} onto {context.Target.Endpoint} and verify every row while writes go on"
        + (
            context.Options.PauseBeforeCutover
                ? ", then keep doing so until Approve-DataMigrationCutover"
                : $", until at most {MaxEntriesAtFreeze} changes wait"
        );

    /// <inheritdoc />
    public async Task ExecuteAsync(RunContext context, StepOutcome outcome, CancellationToken cancellationToken)
    {
        var (plan, layouts) = await OnlineRun.IntactCaptureAsync(context, cancellationToken).ConfigureAwait(false);
        var replayer = await OnlineRun.ReplayerAsync(context, plan, layouts, cancellationToken).ConfigureAwait(false);
        var progress = OnlineRun.Progress(context);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        long replayed = 0,
            passes = 0,
            last = 0,
            keyPasses = 0,
            changedSinceVerified = long.MaxValue;
        var goSeen = false;
        var nodesVerified = false;
        var lastPass = TimeSpan.Zero;
        // The replay's progress line: the entries replayed of those seen so far, and why it waits or how far behind it is.
        ProgressUpdate Changelog(string note) =>
            new()
            {
                ActivityId = 1,
                Activity = StepName,
                Table = "changelog",
                RowsDone = progress.EntriesReplayed,
                RowsTotal = progress.EntriesReplayed + progress.ChangesWaiting,
                Note = note,
            };
        // The replay shares the copy's throttle (the pause condition on the source, the rate budget): each round waits as a chunk of its size would;
        // the verification while live reads under the same throttle (Live).
        var throttle = context.Resolved.Copy.Throttle;
        using var throttleSession = throttle.PauseStatus is null
            ? null
            : Connections.ConnectionFactory.Open(context.Source, cancellationToken);
        async Task PaceAsync(long rows, CancellationToken token)
        {
            if (throttleSession != null || throttle.MaxRowsPerSecond != null)
                await throttle
                    .WaitAsync(throttleSession!, Math.Max(1, rows), note => context.Observer.Progress(Changelog(note)), token)
                    .ConfigureAwait(false);
        }

        // The highest round whose entries are deleted (while paused).
        long forgotten = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            OnlineRun.StopIfAsked(context);
            await PaceAsync(last, cancellationToken).ConfigureAwait(false);
            var round = await replayer.ReplayAllAsync(20_000, context.Options.Parallelism, cancellationToken).ConfigureAwait(false);
            last = round.Keys;
            replayed += round.Entries;
            progress.EntriesReplayed += round.Entries;
            var backlog = await replayer.BacklogAsync(cancellationToken).ConfigureAwait(false);
            (progress.ChangesWaiting, progress.SecondsBehind, progress.BacklogAt) = (
                backlog.Entries,
                backlog.SecondsBehind,
                DateTimeOffset.UtcNow
            );
            context.Observer.Progress(
                Changelog(
                    $"{backlog.Entries} change(s) waiting, {backlog.SecondsBehind:0.0} s behind"
                        + (progress.WaitingForApproval ? "; waiting for Approve-DataMigrationCutover" : string.Empty)
                )
            );

            var reverify =
                progress.WaitingForApproval
                && progress.LastVerifiedAt is { } verifiedAt
                && DateTimeOffset.UtcNow - verifiedAt > ReverifyAfter(lastPass);
            if (progress.VerifiedFromRound is null || reverify)
            {
                var passWatch = System.Diagnostics.Stopwatch.StartNew();
                await VerifyPassAsync(context, replayer, progress, cancellationToken).ConfigureAwait(false);
                lastPass = passWatch.Elapsed;
                passes++;
                (keyPasses, changedSinceVerified) = (0, long.MaxValue);
                context.Save();
                continue;
            }

            var caughtUp = backlog.Entries <= MaxEntriesAtFreeze && backlog.SecondsBehind <= MaxSecondsBehindAtFreeze;
            var go = !context.Options.PauseBeforeCutover || RunSignals.Approved(context.Profile.StateDirectory);
            if (go && !goSeen)
            {
                // Approved (or never paused): narrow down what changed during the wait once more before the freeze.
                (goSeen, keyPasses, changedSinceVerified) = (true, 0, long.MaxValue);
            }

            if (caughtUp && keyPasses < MaxKeyPasses && changedSinceVerified > MaxKeysAtFreeze)
            {
                // While still live, verify again only the rows changed since the last verification, so the freeze
                // verifies the changes of its last moments, not of the whole pass (which grows with the data).
                changedSinceVerified = await VerifyChangedAsync(context, replayer, progress, cancellationToken).ConfigureAwait(false);
                keyPasses++;
                context.Save();
                continue;
            }

            if (caughtUp && go)
            {
                if (!nodesVerified)
                {
                    // The last thing before the freeze: a Galera target's other nodes, row by row (the changes meanwhile are caught up next).
                    nodesVerified = true;
                    if (await VerifyNodesAsync(context, replayer, cancellationToken).ConfigureAwait(false))
                    {
                        // The shop wrote on meanwhile: narrow down what changed during the compare, as after an approval.
                        (keyPasses, changedSinceVerified) = (0, long.MaxValue);
                        continue;
                    }
                }

                progress.WaitingForApproval = false;
                break;
            }

            if (caughtUp && !progress.WaitingForApproval)
            {
                progress.WaitingForApproval = true;
                context.Observer.Warning(
                    $"Caught up and verified ({progress.LastVerifiedAt:u}): waiting before the cutover, replaying and verifying "
                        + $"again every {ReverifyAfter(lastPass).TotalSeconds:0} s. "
                        + $"Run Approve-DataMigrationCutover (or create {RunSignals.ApproveFile} in "
                        + $"{context.Profile.StateDirectory}) to go on, or Stop-DataMigration to end the run."
                );
            }

            context.Save();
            if (progress.WaitingForApproval && progress.VerifiedFromRound is { } mark && mark > forgotten)
            {
                // A wait of hours must not grow the changelogs on the shop's database for as long: the entries the last
                // verification (saved above) made redundant go. A run that is not paused keeps them: removing the capture
                // drops them at once, cheaper than deleting them row by row while the shop writes.
                var gone = await replayer
                    .ForgetAsync(mark, (rows, token) => PaceAsync(rows, token), cancellationToken)
                    .ConfigureAwait(false);
                forgotten = mark;
                context.Observer.Debug($"Deleted {gone} changelog entr(ies) of rounds up to {mark}, verified since.");
            }

            if (round.Entries == 0 || progress.WaitingForApproval)
                await Task.Delay(caughtUp ? 500 : 100, cancellationToken).ConfigureAwait(false);
        }

        outcome.Summary =
            $"Replayed {replayed} change(s) while live; every table verified ({passes} pass(es), last at "
            + $"{progress.LastVerifiedAt:u}); {progress.ChangesWaiting} change(s) waiting, {progress.SecondsBehind:0.0} s behind.";
        outcome
            .Set("EntriesReplayed", replayed)
            .Set("VerificationPasses", passes)
            .Set("ChangesWaiting", progress.ChangesWaiting)
            .Set("UnsettledTables", string.Join(",", progress.UnsettledTables))
            .Set("UnsettledRanges", progress.UnsettledRanges.Values.Sum(r => r.Count))
            .Set("UnsettledKeys", progress.UnsettledKeys.Values.Sum(k => k.Count))
            .Set("CatchUpSeconds", Math.Round(watch.Elapsed.TotalSeconds, 2).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// A Galera target: each other node compared with the node written through, row by row, table by table while that table's
    /// replay waits. Only the replay writes to the target, so with it held the nodes must hold the same rows once each has
    /// applied the cluster's write-sets (wsrep_sync_wait); a node that differs is the cluster's fault and names itself, before
    /// the gate is set. The offline run's every-node verification, moved out of the freeze; under the gate final_sync checks
    /// every node's counts and changed rows again.
    /// </summary>
    /// <returns>Whether there were other nodes to verify.</returns>
    private static async Task<bool> VerifyNodesAsync(RunContext context, ChangeReplayer replayer, CancellationToken cancellationToken)
    {
        var (topology, nodes) = await IntegrityCheckStep.OtherNodesAsync(context, cancellationToken).ConfigureAwait(false);
        if (nodes.Count == 0)
            return false;
        var settings = context.Verification(StepName) with { SyncWaitTarget = true };
        foreach (var table in context.Profile.Tables)
        {
            await replayer
                .HoldingAsync(
                    table,
                    async token =>
                    {
                        foreach (var node in nodes)
                        {
                            await IntegrityCheckStep
                                .VerifyOtherNodeAsync(
                                    topology,
                                    node,
                                    context.Target,
                                    () =>
                                        DataVerifier.VerifyAsync(context.Target, node, new[] { table }, settings, context.Observer, token),
                                    gateSet: false,
                                    token
                                )
                                .ConfigureAwait(false);
                        }
                    },
                    cancellationToken
                )
                .ConfigureAwait(false);
        }

        context.Observer.Verbose(
            $"Verified every table on the other {nodes.Count} node(s) of the Galera target against {context.Target.Endpoint}: equal."
        );
        return true;
    }

    /// <summary>
    /// Verifies by key the rows changed since the last verification while live, and the rows an earlier check left in flux.
    /// A row that differs is in flux (its change waits in the changelog) or really different: its table is replayed and
    /// exactly those rows are compared again. When at most <see cref="MaxKeysAtFreeze"/> rows differed, every other row changed
    /// before this check began is verified: the last verification moves to this check's starting round, and the rows still
    /// different are carried (<see cref="State.OnlineProgress.UnsettledKeys"/>) to the next check and, at the end, to the
    /// gate, which compares them again: a real difference is never passed over. When more differed (the replay is behind),
    /// the mark stays and the next check looks at them all again.
    /// </summary>
    /// <returns>How many rows the check compared (the freeze's share if it stops here).</returns>
    private static async Task<long> VerifyChangedAsync(
        RunContext context,
        ChangeReplayer replayer,
        State.OnlineProgress progress,
        CancellationToken cancellationToken
    )
    {
        var since = progress.VerifiedFromRound!.Value;
        var from = progress.Round;
        long keys = 0;
        var changed = new System.Collections.Concurrent.ConcurrentDictionary<string, Dictionary<string, IReadOnlyList<Tables.KeyValue>>>(
            StringComparer.Ordinal
        );
        var tables = context.Profile.Tables.Where(t => !progress.UnsettledTables.Contains(t)).ToList();
        var results = await DataVerifier
            .VerifyKeysAsync(
                context.Source,
                context.Target,
                tables,
                async (table, token) =>
                {
                    var byKey = await OnlineRun.KeysToVerifyAsync(replayer, progress, table, since, token).ConfigureAwait(false);
                    System.Threading.Interlocked.Add(ref keys, byKey.Count);
                    changed[table] = byKey;
                    return byKey.Values.ToList();
                },
                counts: false,
                Live(context),
                context.Observer,
                cancellationToken
            )
            .ConfigureAwait(false);

        var differing = results.Where(r => r.DifferingKeys.Count > 0).ToList();
        var found = differing.Sum(r => r.DifferingKeys.Count);
        var still = new Dictionary<string, List<List<Tables.KeyValue>>>(StringComparer.Ordinal);
        if (found > 0 && found <= MaxKeysAtFreeze)
        {
            foreach (var table in differing)
                await replayer.ReplayAsync(table.Table, 100_000, cancellationToken).ConfigureAwait(false);
            var again = await DataVerifier
                .VerifyKeysAsync(
                    context.Source,
                    context.Target,
                    differing.Select(d => d.Table).ToList(),
                    (table, _) =>
                        Task.FromResult(differing.Single(d => d.Table == table).DifferingKeys.Select(k => changed[table][k]).ToList()),
                    counts: false,
                    Live(context),
                    context.Observer,
                    cancellationToken
                )
                .ConfigureAwait(false);
            foreach (var table in again.Where(r => r.DifferingKeys.Count > 0))
                still[table.Table] = table.DifferingKeys.Select(k => changed[table.Table][k].ToList()).ToList();
        }

        var moved = found <= MaxKeysAtFreeze;
        if (moved)
        {
            progress.VerifiedFromRound = from;
            progress.UnsettledKeys = still;
            progress.LastVerifiedAt = DateTimeOffset.UtcNow;
        }

        var carried = still.Values.Sum(k => k.Count);
        context.Observer.Verbose(
            $"Verified while live the {keys} row(s) changed since round {since} or left in flux: "
                + (
                    !moved ? $"{found} differ (changes still to replay); checked again."
                    : carried == 0 ? $"equal; the freeze verifies what changes from round {from} on."
                    : $"{carried} still in flux, carried to the next check and the freeze with what changes from round {from} on."
                )
        );
        return keys;
    }

    private static async Task VerifyPassAsync(
        RunContext context,
        ChangeReplayer replayer,
        State.OnlineProgress progress,
        CancellationToken cancellationToken
    )
    {
        var from = progress.Round;
        var results = await DataVerifier
            .VerifyLiveAsync(
                context.Source,
                context.Target,
                context.Profile.Tables,
                Live(context),
                (table, token) => replayer.ReplayAsync(table, 100_000, token),
                Rechecks,
                context.Observer,
                cancellationToken
            )
            .ConfigureAwait(false);
        progress.VerifiedFromRound = from;
        progress.UnsettledKeys = new(StringComparer.Ordinal);
        progress.LastVerifiedAt = DateTimeOffset.UtcNow;
        var unsettled = results.Where(r => !r.Equal).ToList();
        // A table that differs without a range to show for it (its counts alone) is verified whole under the gate.
        progress.UnsettledTables = unsettled.Where(r => r.DifferingRanges.Count == 0).Select(r => r.Table).ToList();
        progress.UnsettledRanges = unsettled
            .Where(r => r.DifferingRanges.Count > 0)
            .ToDictionary(r => r.Table, r => r.DifferingRanges.ToList(), StringComparer.Ordinal);
        if (unsettled.Count > 0)
        {
            context.Observer.Warning(
                string.Join(
                    ", ",
                    unsettled.Select(r =>
                        r.DifferingRanges.Count > 0
                            ? $"{r.Table} ({r.DifferingRanges.Count} range(s) of up to {DataVerifier.LiveNarrowRows} rows)"
                            : r.Table
                    )
                )
                    + $": still different while live after {Rechecks} replays of their changes "
                    + $"({string.Join("; ", unsettled.SelectMany(r => r.Differences).Take(3).Select(Describe))}); "
                    + "compared again under the gate."
            );
        }
    }

    /// <summary>The verification while live: the run's settings, under the copy's throttle (a verification reads every row of a live source).</summary>
    private static VerifySettings Live(RunContext context) =>
        context.Verification(StepName) with
        {
            Pace = context.Resolved.Copy.Throttle.WaitAsync,
        };

    private static string Describe(RowDifference d) => $"{d.Table} ({d.Key}) {d.Kind}";
}
