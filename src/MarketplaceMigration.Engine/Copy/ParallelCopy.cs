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
/// largest tables first so the workers finish together. Checkpoints are serialised (one state write
/// at a time); the first failure cancels the other workers and is rethrown once they have stopped.
/// </summary>
public static class ParallelCopy
{
    /// <summary>Copies what is left of every table.</summary>
    public static async Task CopyAsync(ConnectionTarget source, ConnectionTarget target, IReadOnlyList<TableLayout> layouts, Func<string, TableCopyState> progressOf,
        int? chunkRows, int parallelism, Action checkpoint, IRunObserver observer, CancellationToken cancellationToken, Action<TableLayout, double>? completed = null, CopyThrottle? throttle = null)
    {
        if (layouts is null) throw new ArgumentNullException(nameof(layouts));
        if (progressOf is null) throw new ArgumentNullException(nameof(progressOf));
        var gate = new object();
        void Save()
        {
            lock (gate) checkpoint();
        }

        var order = layouts.Select((l, i) => (Remaining: progressOf(l.Table).RowsPlanned - progressOf(l.Table).RowsCopied, Index: i))
            .OrderByDescending(x => x.Remaining).Select(x => x.Index);
        await TableWorkers.RunAsync(layouts, order, parallelism, async (layout, index, token) =>
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            await TableCopier.CopyAsync(source, target, layout, progressOf(layout.Table), chunkRows, index + 1, Save, observer, token, throttle).ConfigureAwait(false);
            completed?.Invoke(layout, watch.Elapsed.TotalSeconds);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }
}
