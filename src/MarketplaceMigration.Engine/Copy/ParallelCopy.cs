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

        var queue = new Queue<(TableLayout Layout, int Activity)>(layouts
            .Select((l, i) => (Layout: l, Activity: i + 1))
            .OrderByDescending(x => progressOf(x.Layout.Table).RowsPlanned - progressOf(x.Layout.Table).RowsCopied));
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        async Task Worker()
        {
            while (true)
            {
                (TableLayout Layout, int Activity) next;
                lock (queue)
                {
                    if (queue.Count == 0 || failed.IsCancellationRequested) return;
                    next = queue.Dequeue();
                }

                try
                {
                    var watch = System.Diagnostics.Stopwatch.StartNew();
                    await TableCopier.CopyAsync(source, target, next.Layout, progressOf(next.Layout.Table), chunkRows, next.Activity, Save, observer, failed.Token, throttle).ConfigureAwait(false);
                    completed?.Invoke(next.Layout, watch.Elapsed.TotalSeconds);
                }
                catch
                {
                    failed.Cancel();
                    throw;
                }
            }
        }

        var workers = Enumerable.Range(0, Math.Max(1, Math.Min(parallelism, layouts.Count))).Select(_ => Task.Run(Worker, CancellationToken.None)).ToList();
        try
        {
            await Task.WhenAll(workers).ConfigureAwait(false);
        }
        catch
        {
            // Rethrow the first real failure, not a worker's cancellation that it caused.
            var first = workers.Where(w => w.IsFaulted).SelectMany(w => w.Exception!.InnerExceptions).FirstOrDefault(e => e is not OperationCanceledException);
            if (first != null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
            throw;
        }
    }
}
