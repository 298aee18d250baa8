using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Copy;

namespace MarketplaceMigration.Engine.Steps;

/// <summary>
/// Online step 3: empty the target set and copy every table in chunks while the source takes writes
/// (<see cref="TableCopier"/> live: REPLACE, unique checks on). Secondary indexes are deferred as in the offline
/// copy (<see cref="DeferredIndexes"/>, profile <c>deferIndexes</c>) but for UNIQUE ones, which the REPLACE needs:
/// each table's are rebuilt as soon as its copy completes, inside this step, so the freeze never waits for an
/// index build. No snapshot is held: a row a chunk read before it changed is in the changelog and converges by
/// replay. A rerun continues after each table's last chunk.
/// </summary>
public sealed class CopyLiveStep : IMigrationStep
{
    /// <summary>The step's name.</summary>
    public const string StepName = "copy_live";

    /// <inheritdoc />
    public int Number => 3;

    /// <inheritdoc />
    public string Name => StepName;

    /// <inheritdoc />
    public bool NeedsGate => false;

    /// <inheritdoc />
    public string Describe(RunContext context) =>
        $"empty the {context.Profile.Tables.Count} data-plane tables on {context.Target.Endpoint} and copy every row from "
        + $"{context.Source.Endpoint} while it takes writes, {context.Options.Parallelism} tables at a time";

    /// <inheritdoc />
    public async Task ExecuteAsync(RunContext context, StepOutcome outcome, CancellationToken cancellationToken)
    {
        var (_, layouts) = await OnlineRun.IntactCaptureAsync(context, cancellationToken).ConfigureAwait(false);
        await TargetCapabilities.CheckLocalInfileAsync(context.Target, cancellationToken).ConfigureAwait(false);
        if (context.State.Copy.Count != context.Profile.Tables.Count)
        {
            context.State.Copy.Clear();
            context.State.Copy.AddRange(await CopyPlan.ReadAsync(context.Source, layouts, cancellationToken).ConfigureAwait(false));
            context.Save();
        }

        var settings = await context.CopyingAsync(StepName, cancellationToken).ConfigureAwait(false);
        using var flowControl = settings.FlowControl;
        var watch = Stopwatch.StartNew();
        var deferred = context.DeferredIndexes();
        await ImportTablesStep.EmptyTargetBeforeFirstChunkAsync(context, StepName, cancellationToken).ConfigureAwait(false);

        await ParallelCopy
            .CopyAsync(
                new CopyJob
                {
                    Source = context.Source,
                    Target = context.Target,
                    Layouts = layouts,
                    ProgressOf = t => context.State.CopyOf(t)!,
                    Settings = settings with { Live = true },
                    Checkpoint = context.Save,
                    DeferredIndexes = settings.DeferIndexes ? deferred : null,
                },
                context.Observer,
                cancellationToken
            )
            .ConfigureAwait(false);

        // Whatever the profile says now: indexes an earlier attempt dropped are rebuilt before the step ends (not under the gate).
        await DeferredIndexes.RebuildAllAsync(context.Target, deferred, context.Observer, cancellationToken).ConfigureAwait(false);
        var rows = context.State.Copy.Sum(c => c.RowsCopied);
        var seconds = watch.Elapsed.TotalSeconds;
        outcome.Summary =
            $"{rows} row(s) copied into {layouts.Count} tables on {context.Target.Endpoint} while the source took writes "
            + $"({rows / System.Math.Max(0.001, seconds):0} rows/s).";
        outcome
            .Set("RowsCopied", rows)
            .Set("Tables", layouts.Count)
            .Set("Chunks", context.State.Copy.Sum(c => c.ChunksCopied))
            .Set("RowsPerSecond", (long)(rows / System.Math.Max(0.001, seconds)));
    }
}
