using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Copy;
using MarketplaceMigration.Engine.DataPlane;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.Engine.Errors;
using MarketplaceMigration.Engine.Location;
using MarketplaceMigration.Engine.State;
using MarketplaceMigration.Engine.Tables;

namespace MarketplaceMigration.Engine.Steps;

/// <summary>
/// Step 4: empty the whole target set in one session with foreign-key checks off (TRUNCATE does not
/// cascade, so the whole set, never part of it), load every row chunk by chunk with a checkpoint
/// after each, then carry each table's AUTO_INCREMENT. A resumed step continues after the last
/// recorded chunk of each table. With the profile's <c>deferIndexes</c> (the default), each table's
/// secondary indexes are dropped on the target just before its load and rebuilt as soon as its copy
/// completes (<see cref="DeferredIndexes"/>); indexes a stopped <c>Copy-DataPlane</c> left dropped on
/// this target are taken over from its record and rebuilt too. Alone: Copy-DataPlane (<see cref="CopyAloneAsync"/>).
/// </summary>
public sealed class ImportTablesStep : IMigrationStep
{
    /// <summary>The step's name.</summary>
    public const string StepName = "import_tables";

    /// <inheritdoc />
    public int Number => 4;

    /// <inheritdoc />
    public string Name => StepName;

    /// <inheritdoc />
    public bool NeedsGate => true;

    /// <inheritdoc />
    public string Describe(RunContext context) =>
        $"empty the {context.Profile.Tables.Count} data-plane tables on {context.Target.Endpoint} and copy every row from {context.Source.Endpoint} "
        + $"in chunks of {(context.Options.ChunkRows?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "adaptive size")}, "
        + $"{context.Options.Parallelism} tables at a time";

    /// <summary>
    /// Empties the whole target set in one session, once: while no table of the run has a chunk copied (a resumed
    /// copy keeps its rows). Shared by the offline import, Copy-DataPlane and the online live copy. Rows the target
    /// held are discarded with a word: a warning, and for a run the step's <c>TargetRowsDiscarded</c> in the state,
    /// recorded at once.
    /// </summary>
    internal static async Task EmptyTargetBeforeFirstChunkAsync(RunContext context, string step, CancellationToken cancellationToken)
    {
        if (!context.State.Copy.All(c => c.ChunksCopied == 0 && !c.Complete))
            return;
        var held = await TableSet
            .EmptyAsync(
                context.Target,
                context.Profile.Tables,
                context.Profile.LockWaitSeconds,
                "the target user needs DROP (for TRUNCATE), INSERT and DELETE on the data plane; fix the grant or end the session "
                    + "holding the lock, then rerun.",
                context.Observer,
                cancellationToken
            )
            .ConfigureAwait(false);
        if (held.Count == 0)
            return;
        var text = TableSet.Describe(held);
        context.Observer.Warning(
            $"{context.Target.Endpoint} already held rows in {held.Count} data-plane table(s), discarded before the copy: {text}. "
                + "The copy replaces them with the source's rows."
        );
        if (!context.IsAlone)
        {
            context.State.Step(step).Details["TargetRowsDiscarded"] = text;
            context.Save();
        }
    }

    /// <inheritdoc />
    public async Task ExecuteAsync(RunContext context, StepOutcome outcome, CancellationToken cancellationToken)
    {
        if (context.State.Copy.Count != context.Profile.Tables.Count)
        {
            throw new MigrationException(
                ErrorIds.StateIncompatible,
                MigrationErrorKind.CheckpointIncompatible,
                context.StatePath,
                "The copy plan of step 3 is missing from the state file.",
                "rerun: dump_tables is redone when its plan is missing."
            );
        }

        var watch = Stopwatch.StartNew();
        var tables = await CopyAsync(context, null, cancellationToken).ConfigureAwait(false);
        var rows = context.State.Copy.Sum(c => c.RowsCopied);
        var seconds = watch.Elapsed.TotalSeconds;
        outcome.Summary =
            $"{rows} row(s) copied into {tables} tables on {context.Target.Endpoint} ({rows / Math.Max(0.001, seconds):0} rows/s).";
        outcome
            .Set("RowsCopied", rows)
            .Set("Tables", tables)
            .Set("Chunks", context.State.Copy.Sum(c => c.ChunksCopied))
            .Set("RowsPerSecond", (long)(rows / Math.Max(0.001, seconds)));
    }

    /// <summary>
    /// Copy-DataPlane: steps 3 and 4's bodies with no run around them. It refuses while a run is
    /// unfinished, never writes into the end a selector names, and needs the gate unless
    /// <paramref name="allowLiveSource"/>; the secondary indexes it defers are recorded in the state
    /// directory (<see cref="CopyIndexRecordFile"/>), which refuses a stopped copy's record for another
    /// target before anything changes. <paramref name="tableCopied"/> receives one result per table.
    /// </summary>
    public static async Task CopyAloneAsync(
        ResolvedProfile resolved,
        MigrationDirection direction,
        string? dumpPath,
        bool allowLiveSource,
        IRunObserver observer,
        Action<TableCopyResult> tableCopied,
        CancellationToken cancellationToken
    )
    {
        if (resolved is null)
            throw new ArgumentNullException(nameof(resolved));
        if (tableCopied is null)
            throw new ArgumentNullException(nameof(tableCopied));
        observer ??= NullRunObserver.Instance;
        using var runLock = await RunLocking.AcquireAsync(resolved, observer, cancellationToken).ConfigureAwait(false);
        SingleStepGuards.NoRunToInterfereWith(resolved.Profile.StateDirectory);
        var target = resolved.For(direction.Target());
        var location = await DataLocationFlip
            .ReadAsync(resolved.SystemConfig, resolved.Profile.ClusterConfigPath, cancellationToken)
            .ConfigureAwait(false);
        SingleStepGuards.TargetNotLive(location, direction, target);
        SingleStepGuards.GateSetUnlessAllowed(location, allowLiveSource);

        var indexes = CopyIndexRecordFile.Open(resolved.Profile.StateDirectory, target);
        var context = RunContext.Alone(resolved, direction, "Copy-DataPlane", observer, indexes, dumpPath);
        await new DumpTablesStep().ExecuteAsync(context, new StepOutcome(), cancellationToken).ConfigureAwait(false);
        await CopyAsync(context, tableCopied, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The body: empty the target set (once), copy every table, rebuild deferred indexes, carry AUTO_INCREMENT. Returns the tables copied.</summary>
    private static async Task<int> CopyAsync(RunContext context, Action<TableCopyResult>? tableCopied, CancellationToken cancellationToken)
    {
        var layouts = await LayoutReader.ReadAsync(context.Source, context.Profile.Tables, cancellationToken).ConfigureAwait(false);
        await TargetCapabilities.CheckLocalInfileAsync(context.Target, cancellationToken).ConfigureAwait(false);
        var deferred = context.DeferredIndexes();
        await EmptyTargetBeforeFirstChunkAsync(context, StepName, cancellationToken).ConfigureAwait(false);

        var settings = await context.CopyingAsync(StepName, cancellationToken).ConfigureAwait(false);
        using var flowControl = settings.FlowControl;
        await ParallelCopy
            .CopyAsync(
                new CopyJob
                {
                    Source = context.Source,
                    Target = context.Target,
                    Layouts = layouts,
                    ProgressOf = t => context.State.CopyOf(t)!,
                    Settings = settings,
                    Checkpoint = context.Save,
                    DeferredIndexes = settings.DeferIndexes ? deferred : null,
                    Completed = tableCopied is null ? null : (layout, seconds) => tableCopied(ResultOf(context, layout, seconds)),
                },
                context.Observer,
                cancellationToken
            )
            .ConfigureAwait(false);

        // Whatever the profile says now: indexes an earlier attempt dropped (of tables it had finished) are rebuilt.
        await DeferredIndexes.RebuildAllAsync(context.Target, deferred, context.Observer, cancellationToken).ConfigureAwait(false);
        await CopyPlan
            .CarryAutoIncrementAsync(context.Target, layouts, t => context.State.CopyOf(t)!, cancellationToken)
            .ConfigureAwait(false);
        return layouts.Count;
    }

    private static TableCopyResult ResultOf(RunContext context, TableLayout layout, double seconds)
    {
        var p = context.State.CopyOf(layout.Table)!;
        return new TableCopyResult(
            layout.Table,
            p.RowsCopied,
            p.ChunksCopied,
            Math.Round(seconds, 3),
            (long)(p.RowsCopied / Math.Max(0.001, seconds)),
            context.Source.Endpoint.ToString(),
            context.Target.Endpoint.ToString()
        );
    }
}
