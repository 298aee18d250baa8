using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace MarketplaceMigration.Engine.Tables;

/// <summary>
/// Runs one piece of work per table on a few workers at once, in a given order (largest first, so
/// the workers finish together). The first failure cancels the other workers and is rethrown once
/// they have stopped; results come back in the tables' own order.
/// </summary>
public static class TableWorkers
{
    /// <summary>Runs <paramref name="work"/> for every item; <paramref name="order"/> lists the items' indexes in the order to take them.</summary>
    public static async Task<TResult[]> RunAsync<TItem, TResult>(
        IReadOnlyList<TItem> items,
        IEnumerable<int> order,
        int parallelism,
        Func<TItem, int, CancellationToken, Task<TResult>> work,
        CancellationToken cancellationToken
    )
    {
        if (items is null)
            throw new ArgumentNullException(nameof(items));
        if (work is null)
            throw new ArgumentNullException(nameof(work));
        var results = new TResult[items.Count];
        var queue = new Queue<int>(order);
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Exception? cause = null;
        async Task Worker()
        {
            while (true)
            {
                int next;
                lock (queue)
                {
                    if (queue.Count == 0 || failed.IsCancellationRequested)
                        return;
                    next = queue.Dequeue();
                }

                try
                {
                    results[next] = await work(items[next], next, failed.Token).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    // The failure that stops the others, not one their stopping caused (a statement killed mid-flight
                    // can fail with the server's own error rather than as a cancellation).
                    if (!failed.IsCancellationRequested)
                        Interlocked.CompareExchange(ref cause, ex, null);
                    failed.Cancel();
                    throw;
                }
            }
        }

        var workers = Enumerable
            .Range(0, Math.Max(1, Math.Min(parallelism, items.Count)))
            .Select(_ => Task.Run(Worker, CancellationToken.None))
            .ToList();
        try
        {
            await Task.WhenAll(workers).ConfigureAwait(false);
        }
        catch
        {
            if (cause != null)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(cause).Throw();
            // No worker failed before the stop: the caller canceled, and whatever that caused in a worker is the cancellation.
            cancellationToken.ThrowIfCancellationRequested();
            throw;
        }

        cancellationToken.ThrowIfCancellationRequested();
        return results;
    }
}
