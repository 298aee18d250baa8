using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Errors;

namespace MarketplaceMigration.PowerShell.Internal;

/// <summary>
/// Base of every cmdlet: runs engine work on a worker task while the pipeline thread pumps the
/// engine's events into the PowerShell streams (Write* must run on the pipeline thread), turns
/// engine errors into ErrorRecords, and cancels the work on Ctrl+C.
/// </summary>
public abstract class MigrationCmdletBase : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();

    /// <summary>Cancelled when the user stops the pipeline.</summary>
    protected CancellationToken CancellationToken => _cancellation.Token;

    /// <summary>Runs engine work and pumps its events until it ends; throws a terminating error on failure.</summary>
    protected T RunEngine<T>(Func<IRunObserver, CancellationToken, Task<T>> work)
    {
        if (work is null) throw new ArgumentNullException(nameof(work));
        using var queue = new BlockingCollection<Action>();
        var observer = new CmdletObserver(this, queue);
        var task = Task.Run(() => work(observer, CancellationToken), CancellationToken);
        _ = task.ContinueWith(_ => queue.CompleteAdding(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        foreach (var action in queue.GetConsumingEnumerable()) action();

        try
        {
            return task.GetAwaiter().GetResult();
        }
        catch (MigrationException ex)
        {
            ThrowTerminatingError(ErrorRecordFactory.Create(ex));
            throw;
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            ThrowTerminatingError(ErrorRecordFactory.Unexpected(ex));
            throw;
        }
    }

    /// <summary>Cancels running engine work.</summary>
    protected override void StopProcessing() => _cancellation.Cancel();

    /// <summary>Releases the cancellation source.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the cancellation source.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing) _cancellation.Dispose();
    }
}
