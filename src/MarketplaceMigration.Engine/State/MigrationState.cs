using System;
using System.Collections.Generic;
using System.Linq;
using MarketplaceMigration.Engine.Copy;
using MarketplaceMigration.Engine.Location;

namespace MarketplaceMigration.Engine.State;

/// <summary>
/// The run's state file (<c>var/marketplace/migration.state</c>): run id, direction, options, each
/// step, the per-table copy checkpoints and the flip journal. It never holds a secret.
/// </summary>
public sealed class MigrationState
{
    /// <summary>The state file format this version writes and reads.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>Format version.</summary>
    public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    /// <summary>Run id.</summary>
    public string RunId { get; set; } = Guid.NewGuid().ToString("N");

    /// <summary>The options the run started with.</summary>
    public RunOptions Options { get; set; } = new();

    /// <summary>Where the data was read from: user@host:port/db.</summary>
    public string Source { get; set; } = string.Empty;

    /// <summary>Where the data was written to.</summary>
    public string Target { get; set; } = string.Empty;

    /// <summary>The data-plane tables of the run.</summary>
    public List<string> Tables { get; set; } = new();

    /// <summary>Running, Failed or Completed.</summary>
    public RunStatus Status { get; set; }

    /// <summary>When the run started.</summary>
    public DateTimeOffset StartedAt { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>When the state was last written.</summary>
    public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>When the run completed.</summary>
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>The ten steps.</summary>
    public List<StepState> Steps { get; set; } = new();

    /// <summary>Copy checkpoints per table.</summary>
    public List<TableCopyState> Copy { get; set; } = new();

    /// <summary>
    /// Secondary indexes step 4 dropped on the target and has not rebuilt yet, by table: their
    /// definitions as SHOW CREATE TABLE printed them. Recorded before they are dropped, kept when a
    /// run restarts its copy, cleared once rebuilt.
    /// </summary>
    public Dictionary<string, List<string>> DeferredIndexes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>An online run's capture, replay and live verification (null for an offline run).</summary>
    public OnlineProgress? Online { get; set; }

    /// <summary>The flip journal, once step 6 has begun.</summary>
    public FlipJournal? Flip { get; set; }

    /// <summary>The step record by name.</summary>
    public StepState Step(string name) => Steps.First(s => s.Name == name);

    /// <summary>The copy record of a table.</summary>
    public TableCopyState? CopyOf(string table) => Copy.FirstOrDefault(c => c.Table == table);

    /// <summary>The first step that is not done, or null when every step is.</summary>
    public StepState? NextStep => Steps.FirstOrDefault(s => s.Status is not (StepStatus.Succeeded or StepStatus.Skipped));
}
