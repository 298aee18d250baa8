using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using MarketplaceMigration.Engine.Diagnostics;

namespace MarketplaceMigration.PowerShell.Internal;

/// <summary>
/// Receives engine events on worker threads and queues them for the pipeline thread, where
/// Write* calls are allowed (see <see cref="MigrationCmdletBase"/>).
/// </summary>
internal sealed class CmdletObserver : IRunObserver
{
    private readonly BlockingCollection<Action> _queue;
    private readonly MigrationCmdletBase _cmdlet;
    private readonly int _parentId;

    public CmdletObserver(MigrationCmdletBase cmdlet, BlockingCollection<Action> queue, int parentId)
    {
        _cmdlet = cmdlet;
        _queue = queue;
        _parentId = parentId;
    }

    public void Verbose(string message) => _queue.Add(() => _cmdlet.WriteVerbose(message));

    public void Debug(string message) => _queue.Add(() => _cmdlet.WriteDebug(message));

    public void Warning(string message) => _queue.Add(() => _cmdlet.WriteWarning(message));

    public void Progress(ProgressUpdate update)
    {
        var record = new ProgressRecord(
            100 + update.ActivityId,
            $"{update.Activity}: {update.Table}",
            update.Note ?? $"{update.RowsDone:N0} of {update.RowsTotal:N0} rows, {update.RowsPerSecond:N0} rows/s"
        )
        {
            ParentActivityId = _parentId,
            PercentComplete = update.RowsTotal > 0 ? (int)Math.Min(100, update.RowsDone * 100 / update.RowsTotal) : -1,
            SecondsRemaining = update.SecondsRemaining,
            RecordType = update.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
        };
        _queue.Add(() => _cmdlet.WriteProgress(record));
    }
}
