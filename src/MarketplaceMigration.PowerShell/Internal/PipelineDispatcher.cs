using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Diagnostics;

namespace MarketplaceMigration.PowerShell.Internal;

/// <summary>
/// Lets engine work on a worker thread reach the pipeline thread, where every Write* and
/// ShouldProcess call must happen: messages, results and questions are queued and run there.
/// </summary>
public sealed class PipelineDispatcher
{
    private readonly BlockingCollection<Action> _queue;
    private readonly CancellationToken _stopped;

    internal PipelineDispatcher(BlockingCollection<Action> queue, IRunObserver observer, CancellationToken stopped)
    {
        _queue = queue;
        Observer = observer;
        _stopped = stopped;
    }

    /// <summary>The engine's observer, writing to the PowerShell streams.</summary>
    public IRunObserver Observer { get; }

    /// <summary>Runs <paramref name="action"/> on the pipeline thread (e.g. WriteObject).</summary>
    public void Post(Action action) => _queue.Add(action);

    /// <summary>
    /// A delegate the engine may call from any thread; the question is asked on the pipeline thread and the
    /// worker waits for the answer (or until the cmdlet is stopped: then it throws OperationCanceledException).
    /// </summary>
    public Func<string, string, bool> Ask(Func<string, string, bool> question) =>
        (target, action) =>
        {
            var answer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            _queue.Add(() =>
            {
                try
                {
                    answer.SetResult(question(target, action));
                }
                catch (Exception ex)
                {
                    answer.SetException(ex);
                }
            });
            try
            {
                answer.Task.Wait(_stopped);
            }
            catch (AggregateException) { }

            return answer.Task.GetAwaiter().GetResult();
        };
}
