using System;
using System.Collections.Concurrent;
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

    public CmdletObserver(MigrationCmdletBase cmdlet, BlockingCollection<Action> queue)
    {
        _cmdlet = cmdlet;
        _queue = queue;
    }

    public void Verbose(string message) => _queue.Add(() => _cmdlet.WriteVerbose(message));

    public void Debug(string message) => _queue.Add(() => _cmdlet.WriteDebug(message));

    public void Warning(string message) => _queue.Add(() => _cmdlet.WriteWarning(message));
}
