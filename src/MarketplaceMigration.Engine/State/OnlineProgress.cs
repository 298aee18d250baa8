using System;
using System.Collections.Generic;

namespace MarketplaceMigration.Engine.State;

/// <summary>Where an online run's change capture, replay and live verification stand (in the state file).</summary>
public sealed class OnlineProgress
{
    /// <summary>When the capture was complete on the source (every trigger in place).</summary>
    public DateTimeOffset? CaptureInstalledAt { get; set; }

    /// <summary>When the capture was removed again.</summary>
    public DateTimeOffset? CaptureRemovedAt { get; set; }

    /// <summary>The last replay round handed out (each marks the changelog entries it consumed with its number).</summary>
    public long Round { get; set; }

    /// <summary>Changelog entries consumed by replays so far.</summary>
    public long EntriesReplayed { get; set; }

    /// <summary>
    /// The round at which the last complete verification while live began: every row changed after it
    /// is in an entry of a later round (or still waiting), and is what the freeze verifies again.
    /// Null until one verification of every table has completed.
    /// </summary>
    public long? VerifiedFromRound { get; set; }

    /// <summary>When the last complete verification while live ended.</summary>
    public DateTimeOffset? LastVerifiedAt { get; set; }

    /// <summary>Tables to verify whole under the gate (a state written before <see cref="UnsettledRanges"/> lists its tables here).</summary>
    public List<string> UnsettledTables { get; set; } = new();

    /// <summary>
    /// Per table, the key ranges the last verification while live left different after their re-checks (the rows the shop
    /// kept writing): compared again under the gate, range by range.
    /// </summary>
    public Dictionary<string, List<Tables.KeyRange>> UnsettledRanges { get; set; } = new();

    /// <summary>
    /// Per table, the keys of rows a check of the changed rows while live found different even after a replay (the shop
    /// wrote them again meanwhile): compared again by the next check, and under the gate.
    /// </summary>
    public Dictionary<string, List<List<Tables.KeyValue>>> UnsettledKeys { get; set; } = new();

    /// <summary>Changelog entries waiting when last looked at.</summary>
    public long ChangesWaiting { get; set; }

    /// <summary>How old the oldest waiting entry was then, in seconds.</summary>
    public double SecondsBehind { get; set; }

    /// <summary>When the backlog was last looked at.</summary>
    public DateTimeOffset? BacklogAt { get; set; }

    /// <summary>The run is waiting before its cutover for Approve-DataMigrationCutover.</summary>
    public bool WaitingForApproval { get; set; }
}
