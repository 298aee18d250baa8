using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Management.Automation.Host;
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
        if (work is null)
            throw new ArgumentNullException(nameof(work));
        return RunEngineWithDispatcher((dispatcher, ct) => work(dispatcher.Observer, ct));
    }

    /// <summary>
    /// Runs engine work whose failure is about the one item asked for (a Get- that finds nothing): a
    /// non-terminating error, so -ErrorAction SilentlyContinue/Ignore/Stop and $? behave as for Get-Item.
    /// </summary>
    /// <returns>Whether the work succeeded (false: the error was written).</returns>
    protected bool TryRunEngine<T>(Func<IRunObserver, CancellationToken, Task<T>> work, out T result)
    {
        if (work is null)
            throw new ArgumentNullException(nameof(work));
        result = default!;
        try
        {
            result = RunEngineWithDispatcher((dispatcher, ct) => work(dispatcher.Observer, ct), itemError: true);
            return true;
        }
        catch (MigrationException ex)
        {
            WriteError(ErrorRecordFactory.Create(ex));
            return false;
        }
    }

    /// <summary>
    /// A per-item failure from engine work over many items (one table of 22): written as a non-terminating
    /// error on the pipeline thread, and the work goes on with the rest (-ErrorAction decides what the user sees).
    /// </summary>
    protected Action<MigrationException> TableFailed(PipelineDispatcher dispatcher)
    {
        if (dispatcher is null)
            throw new ArgumentNullException(nameof(dispatcher));
        return ex => dispatcher.Post(() => WriteError(ErrorRecordFactory.Create(ex)));
    }

    /// <summary>Runs engine work that also posts results or asks questions on the pipeline thread.</summary>
    protected T RunEngineWithDispatcher<T>(Func<PipelineDispatcher, CancellationToken, Task<T>> work) =>
        RunEngineWithDispatcher(work, itemError: false);

    private T RunEngineWithDispatcher<T>(Func<PipelineDispatcher, CancellationToken, Task<T>> work, bool itemError)
    {
        if (work is null)
            throw new ArgumentNullException(nameof(work));
        using var queue = new BlockingCollection<Action>();
        var dispatcher = new PipelineDispatcher(queue, new CmdletObserver(this, queue, ProgressParentId), CancellationToken);
        var task = Task.Run(() => work(dispatcher, CancellationToken), CancellationToken);
        _ = task.ContinueWith(_ => queue.CompleteAdding(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        try
        {
            foreach (var action in queue.GetConsumingEnumerable())
                action();
        }
        catch
        {
            // The pipeline stopped the cmdlet on the pipeline thread (-ErrorAction Stop on a per-item error,
            // a declined prompt that throws): end the engine work before leaving, never leave it running.
            _cancellation.Cancel();
            foreach (var _ in queue.GetConsumingEnumerable()) { }

            try
            {
                task.GetAwaiter().GetResult();
            }
            catch (Exception ex) when (ex is OperationCanceledException or MigrationException) { }

            throw;
        }

        try
        {
            return task.GetAwaiter().GetResult();
        }
        catch (MigrationException ex) when (!itemError)
        {
            Fail(ErrorRecordFactory.Create(ex));
            throw;
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (Exception ex) when (ex is not PipelineStoppedException and not MigrationException)
        {
            Fail(ErrorRecordFactory.Unexpected(ex));
            throw;
        }
    }

    /// <summary>
    /// Stops the cmdlet with <paramref name="record"/>: a terminating error for the statement (caught by
    /// try/catch, $? is $false). With -ErrorAction Stop (or $ErrorActionPreference = 'Stop') it also stops
    /// the script, as PowerShell users expect of Stop; a statement-terminating error alone would not.
    /// </summary>
    protected void Fail(ErrorRecord record)
    {
        var action =
            MyInvocation.BoundParameters.TryGetValue("ErrorAction", out var bound) && bound is ActionPreference a ? a
            : SessionState.PSVariable.GetValue("ErrorActionPreference") is ActionPreference p ? p
            : ActionPreference.Continue;
        if (action == ActionPreference.Stop)
            WriteError(record); // throws ActionPreferenceStopException: the script stops
        ThrowTerminatingError(record);
    }

    /// <summary>The progress activity that table progress hangs under (-1: none).</summary>
    protected virtual int ProgressParentId => -1;

    /// <summary>Whether -WhatIf is in effect (as a parameter or through $WhatIfPreference).</summary>
    protected bool WhatIfActive
    {
        get
        {
            if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var value) && value is SwitchParameter s)
                return s.IsPresent;
            return SessionState.PSVariable.GetValue("WhatIfPreference") is bool b
                ? b
                : SessionState.PSVariable.GetValue("WhatIfPreference") is SwitchParameter sw && sw.IsPresent;
        }
    }

    /// <summary>
    /// Whether to make a change: -WhatIf writes "What if:" and says no; -Force says yes without asking
    /// unless -Confirm is given too; otherwise ShouldProcess asks when the cmdlet's impact reaches
    /// $ConfirmPreference. -Force only ever skips this question, never a check.
    /// </summary>
    protected bool ShouldChange(string target, string action, bool force)
    {
        if (force && !WhatIfActive && !MyInvocation.BoundParameters.ContainsKey("Confirm"))
            return true;
        return Prompt(() => ShouldProcess(target, action));
    }

    /// <summary>
    /// Asks the user; in a session that cannot ask (pwsh -NonInteractive, a job with no console) the
    /// cmdlet stops with an error that says to add -Force, instead of PowerShell's bare "NonInteractive mode".
    /// </summary>
    protected bool Prompt(Func<bool> question)
    {
        if (question is null)
            throw new ArgumentNullException(nameof(question));
        try
        {
            return question();
        }
        catch (Exception ex) when (ex is PSInvalidOperationException or HostException or NotImplementedException)
        {
            Fail(
                new ErrorRecord(
                    new PSInvalidOperationException(
                        $"{MyInvocation.MyCommand.Name} asks for confirmation, and this session cannot ask (pwsh -NonInteractive, or no console). "
                            + "Add -Force to go ahead without asking (it skips only the question, never a check), or -WhatIf to see what it would do.",
                        ex
                    ),
                    "ConfirmationNeeded",
                    ErrorCategory.InvalidOperation,
                    MyInvocation.MyCommand.Name
                )
            );
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
        if (disposing)
            _cancellation.Dispose();
    }
}
