using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Tables;

namespace MarketplaceMigration.Engine.Copy;

/// <summary>
/// Copies several tables at once, each by its own worker with its own reading and writing session,
/// largest tables (in bytes) first so the workers finish together. Checkpoints are serialised (one state write
/// at a time); the first failure cancels the other workers and is rethrown once they have stopped. With a
/// <see cref="DeferredIndexRecord"/>, each table's secondary indexes are dropped just before its load and
/// rebuilt by its worker as soon as its copy completes (<see cref="DeferredIndexes"/>).
/// </summary>
public static class ParallelCopy
{
    /// <summary>Copies what is left of every table of <paramref name="job"/>.</summary>
    public static async Task CopyAsync(CopyJob job, IRunObserver observer, CancellationToken cancellationToken)
    {
        if (job is null)
            throw new ArgumentNullException(nameof(job));
        observer ??= NullRunObserver.Instance;
        var (source, target, progressOf, deferredIndexes) = (job.Source, job.Target, job.ProgressOf, job.DeferredIndexes);
        var gate = deferredIndexes?.Gate ?? new object();
        void Save()
        {
            lock (gate)
                job.Checkpoint();
        }

        // Largest remaining part first, in bytes (the source's estimate scaled by the rows left), so a
        // table of few but wide rows is not the one left running alone at the end.
        var bytes = await TableSizes.BytesAsync(source, cancellationToken).ConfigureAwait(false);
        var order = TableSizes.LargestFirst(job.Layouts.Select(l => l.Table).ToList(), table =>
        {
            var progress = progressOf(table);
            var left = Math.Max(0, progress.RowsPlanned - progress.RowsCopied);
            var size =
                bytes.TryGetValue(table, out var b) && b > 0 && progress.RowsPlanned > 0 ? b * (double)left / progress.RowsPlanned : left;
            return progress.Complete ? 0 : size;
        });
        await TableWorkers
            .RunAsync(
                job.Layouts,
                order,
                job.Settings.Parallelism,
                async (layout, index, token) =>
                {
                    var watch = System.Diagnostics.Stopwatch.StartNew();
                    var progress = progressOf(layout.Table);
                    var settings = job.Settings with { MaxChunkRows = ChunkCap(job.Settings, bytes, layout.Table, progress) };
                    // Each step below opens sessions of its own and is safe to repeat (the copy resumes after its last
                    // recorded chunk, dropped indexes are recorded first, a rebuild skips what is there): after an
                    // interrupted link outside a chunk (whose own retries are inside the copy), the table is taken up again.
                    await Reconnecting
                        .RunAsync(
                            async () =>
                            {
                                if (
                                    deferredIndexes != null
                                    && !progress.Complete
                                    && progress.ChunksCopied == 0
                                    && DeferredIndexes.Worthwhile(progress, job.Settings)
                                )
                                    await DeferredIndexes
                                        .DropAsync(target, layout.Table, deferredIndexes, job.Settings.Live, observer, token)
                                        .ConfigureAwait(false);
                                await TableCopier
                                    .CopyAsync(source, target, layout, progress, settings, index + 1, Save, observer, token)
                                    .ConfigureAwait(false);
                                if (deferredIndexes != null)
                                    await DeferredIndexes
                                        .RebuildAsync(target, layout.Table, deferredIndexes, observer, token)
                                        .ConfigureAwait(false);
                                return true;
                            },
                            () => Task.CompletedTask,
                            $"{layout.Table}: its copy",
                            Reconnecting.Telling(observer),
                            token
                        )
                        .ConfigureAwait(false);
                    job.Completed?.Invoke(layout, watch.Elapsed.TotalSeconds);
                    return true;
                },
                cancellationToken
            )
            .ConfigureAwait(false);
    }

    /// <summary>
    /// The most rows a chunk of <paramref name="table"/> may hold: the settings' row limit, and their byte limit
    /// over the table's average row (the source's estimate of its bytes over its planned rows, never below 100 bytes).
    /// </summary>
    internal static int? ChunkCap(CopySettings settings, IReadOnlyDictionary<string, long> bytes, string table, TableCopyState progress)
    {
        int? cap = settings.MaxChunkRows;
        if (settings.MaxChunkBytes is { } limit && limit > 0)
        {
            var average =
                bytes.TryGetValue(table, out var b) && b > 0 && progress.RowsPlanned > 0 ? Math.Max(100, b / progress.RowsPlanned) : 1000;
            var byBytes = (int)Math.Max(1, Math.Min(int.MaxValue, limit / average));
            cap = cap is { } rows ? Math.Min(rows, byBytes) : byBytes;
        }

        return cap;
    }
}
