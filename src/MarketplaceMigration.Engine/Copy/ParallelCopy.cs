using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.State;

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
    /// <summary>Copies what is left of every table.</summary>
    public static async Task CopyAsync(
        ConnectionTarget source,
        ConnectionTarget target,
        IReadOnlyList<TableLayout> layouts,
        Func<string, TableCopyState> progressOf,
        int? chunkRows,
        int parallelism,
        Action checkpoint,
        IRunObserver observer,
        CancellationToken cancellationToken,
        Action<TableLayout, double>? completed = null,
        CopyThrottle? throttle = null,
        DeferredIndexRecord? deferredIndexes = null,
        bool live = false
    )
    {
        if (layouts is null)
            throw new ArgumentNullException(nameof(layouts));
        if (progressOf is null)
            throw new ArgumentNullException(nameof(progressOf));
        var gate = deferredIndexes?.Gate ?? new object();
        void Save()
        {
            lock (gate)
                checkpoint();
        }

        // Largest remaining part first, in bytes (the source's estimate scaled by the rows left), so a
        // table of few but wide rows is not the one left running alone at the end.
        var bytes = await TableSizes.BytesAsync(source, cancellationToken).ConfigureAwait(false);
        var order = TableSizes.LargestFirst(layouts.Select(l => l.Table).ToList(), table =>
        {
            var progress = progressOf(table);
            var left = Math.Max(0, progress.RowsPlanned - progress.RowsCopied);
            var size =
                bytes.TryGetValue(table, out var b) && b > 0 && progress.RowsPlanned > 0 ? b * (double)left / progress.RowsPlanned : left;
            return progress.Complete ? 0 : size;
        });
        await TableWorkers
            .RunAsync(
                layouts,
                order,
                parallelism,
                async (layout, index, token) =>
                {
                    var watch = System.Diagnostics.Stopwatch.StartNew();
                    var progress = progressOf(layout.Table);
                    if (deferredIndexes != null && !progress.Complete && progress.ChunksCopied == 0)
                    {
                        await DeferredIndexes.DropAsync(target, layout.Table, deferredIndexes, observer, token).ConfigureAwait(false);
                    }

                    await TableCopier
                        .CopyAsync(source, target, layout, progress, chunkRows, index + 1, Save, observer, token, throttle, live)
                        .ConfigureAwait(false);
                    if (deferredIndexes != null)
                        await DeferredIndexes.RebuildAsync(target, layout.Table, deferredIndexes, observer, token).ConfigureAwait(false);
                    completed?.Invoke(layout, watch.Elapsed.TotalSeconds);
                    return true;
                },
                cancellationToken
            )
            .ConfigureAwait(false);
    }
}
