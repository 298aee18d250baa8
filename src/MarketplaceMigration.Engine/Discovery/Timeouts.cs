using System.Collections.Generic;

namespace MarketplaceMigration.Engine.Discovery;

/// <summary>How long each wait of a move may take, in seconds (profile <c>timeouts</c>), with the documented defaults.</summary>
public sealed record Timeouts
{
    /// <summary>Step 7 waits this long for the channel port after the restart command.</summary>
    public int PortSeconds { get; init; } = 30;

    /// <summary>The restart command may run this long.</summary>
    public int RestartSeconds { get; init; } = 300;

    /// <summary>The ping (and the cache-clear command) may run this long.</summary>
    public int SmokeSeconds { get; init; } = 60;

    /// <summary>Step 2 waits this long for open transactions to drain.</summary>
    public int DrainSeconds { get; init; } = 60;

    /// <summary>A write of ours (TRUNCATE, ALTER, a chunk) waits this long for another session's lock.</summary>
    public int LockWaitSeconds { get; init; } = 60;

    /// <summary>
    /// A copy's chunk, a verification's range, a system_config write: each statement may take this long
    /// before the link under it counts as stalled (it is then tried again on fresh sessions). Not the DDL
    /// (TRUNCATE, an index rebuild), which takes as long as it takes.
    /// </summary>
    public int StatementSeconds { get; init; } = 600;

    /// <summary>The defaults overridden by the profile's <c>timeouts</c> object (portSeconds, restartSeconds, ...).</summary>
    public static Timeouts From(IReadOnlyDictionary<string, int>? given)
    {
        var defaults = new Timeouts();
        if (given is null)
            return defaults;
        int Get(string key, int fallback) => given.TryGetValue(key, out var v) ? v : fallback;
        return new Timeouts
        {
            PortSeconds = Get("portSeconds", defaults.PortSeconds),
            RestartSeconds = Get("restartSeconds", defaults.RestartSeconds),
            SmokeSeconds = Get("smokeSeconds", defaults.SmokeSeconds),
            DrainSeconds = Get("drainSeconds", defaults.DrainSeconds),
            LockWaitSeconds = Get("lockWaitSeconds", defaults.LockWaitSeconds),
            StatementSeconds = Get("statementSeconds", defaults.StatementSeconds),
        };
    }
}
