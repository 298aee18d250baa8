using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Copy;
using MarketplaceMigration.Engine.Errors;
using MarketplaceMigration.Engine.Runs;

namespace MarketplaceMigration.Engine.Steps;

/// <summary>
/// Step 4: empty the whole target set in one session with foreign-key checks off (TRUNCATE does not
/// cascade, so the whole set, never part of it), load every row chunk by chunk with a checkpoint
/// after each, then carry each table's AUTO_INCREMENT. A resumed step continues after the last
/// recorded chunk of each table. With the profile's <c>deferIndexes</c> (the default), each table's
/// secondary indexes are dropped on the target just before its load and rebuilt as soon as its copy
/// completes (<see cref="DeferredIndexes"/>); indexes a stopped <c>Copy-DataPlane</c> left dropped on
/// this target are taken over from its record and rebuilt too.
/// </summary>
public sealed class ImportTablesStep : IMigrationStep
{
    /// <inheritdoc />
    public int Number => 4;

    /// <inheritdoc />
    public string Name => "import_tables";

    /// <inheritdoc />
    public MigrationPhase Phase => MigrationPhase.Copy;

    /// <inheritdoc />
    public string Describe(RunContext context) =>
        $"empty the {context.Profile.Tables.Count} data-plane tables on {context.Target.Endpoint} and copy every row from {context.Source.Endpoint} in chunks of {(context.Options.ChunkRows?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "adaptive size")}, {context.Options.Parallelism} tables at a time";

    /// <summary>
    /// Empties the whole target set in one session, once: while no table of the run has a chunk copied (a resumed
    /// copy keeps its rows). Shared by the offline import and the online live copy.
    /// </summary>
    internal static Task EmptyTargetBeforeFirstChunkAsync(RunContext context, CancellationToken cancellationToken) =>
        context.State.Copy.All(c => c.ChunksCopied == 0 && !c.Complete)
            ? TableSet.EmptyAsync(
                context.Target,
                context.Profile.Tables,
                context.Profile.LockWaitSeconds,
                "the target user needs DROP (for TRUNCATE), INSERT and DELETE on the data plane; fix the grant or end the session holding the lock, then rerun.",
                context.Observer,
                cancellationToken
            )
            : Task.CompletedTask;

    /// <inheritdoc />
    public async Task ExecuteAsync(RunContext context, StepOutcome outcome, CancellationToken cancellationToken)
    {
        if (context.State.Copy.Count != context.Profile.Tables.Count)
        {
            throw new MigrationException(
                ErrorIds.StateIncompatible,
                MigrationErrorKind.CheckpointIncompatible,
                context.Store.Path,
                "The copy plan of step 3 is missing from the state file.",
                "rerun: dump_tables is redone when its plan is missing."
            );
        }

        var layouts = await LayoutReader.ReadAsync(context.Source, context.Profile.Tables, cancellationToken).ConfigureAwait(false);
        await TargetCapabilities.CheckLocalInfileAsync(context.Target, cancellationToken).ConfigureAwait(false);
        var watch = Stopwatch.StartNew();
        await EmptyTargetBeforeFirstChunkAsync(context, cancellationToken).ConfigureAwait(false);

        CopyIndexRecordFile.TakeOver(context.Profile.StateDirectory, context.Target, context.State.DeferredIndexes, context.Save);
        var deferred = new DeferredIndexRecord(context.State.DeferredIndexes, context.Save, new object(), "the state file");
        await ParallelCopy
            .CopyAsync(
                context.Source,
                context.Target,
                layouts,
                t => context.State.CopyOf(t)!,
                context.Options.ChunkRows,
                context.Options.Parallelism,
                context.Save,
                context.Observer,
                cancellationToken,
                throttle: context.Profile.Throttle(),
                deferredIndexes: context.Profile.DeferIndexes ? deferred : null
            )
            .ConfigureAwait(false);

        // Whatever the profile says now: indexes an earlier attempt dropped (of tables it had finished) are rebuilt.
        await DeferredIndexes.RebuildAllAsync(context.Target, deferred, context.Observer, cancellationToken).ConfigureAwait(false);

        await CopyPlan
            .CarryAutoIncrementAsync(context.Target, layouts, t => context.State.CopyOf(t)!, cancellationToken)
            .ConfigureAwait(false);

        var rows = context.State.Copy.Sum(c => c.RowsCopied);
        var seconds = watch.Elapsed.TotalSeconds;
        outcome.Summary =
            $"{rows} row(s) copied into {layouts.Count} tables on {context.Target.Endpoint} ({rows / System.Math.Max(0.001, seconds):0} rows/s).";
        outcome
            .Set("RowsCopied", rows)
            .Set("Tables", layouts.Count)
            .Set("Chunks", context.State.Copy.Sum(c => c.ChunksCopied))
            .Set("RowsPerSecond", (long)(rows / System.Math.Max(0.001, seconds)));
    }
}
