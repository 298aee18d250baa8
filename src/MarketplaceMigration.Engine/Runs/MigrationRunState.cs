using System;
using System.Collections.Generic;
using System.Linq;
using MarketplaceMigration.Engine.DataPlane;
using MarketplaceMigration.Engine.State;
using MarketplaceMigration.Engine.Steps;
using MarketplaceMigration.Engine.Verify;

namespace MarketplaceMigration.Engine.Runs;

/// <summary>Where the current or last run stands (Get-MigrationState).</summary>
public sealed class MigrationRunState
{
    /// <summary>Creates the view of a state file.</summary>
    public MigrationRunState(MigrationState state, string statePath, bool lockHeld)
    {
        if (state is null)
            throw new ArgumentNullException(nameof(state));
        RunId = state.RunId;
        Direction = state.Options.Direction;
        Status = state.Status;
        DropSource = state.Options.DropSource;
        Verification = state.Options.Verification;
        Source = state.Source;
        Target = state.Target;
        StartedAt = state.StartedAt;
        UpdatedAt = state.UpdatedAt;
        FinishedAt = state.FinishedAt;
        var next = state.NextStep;
        NextStep = next == null ? null : $"{next.Number} {next.Name}";
        Steps = state.Steps.Select(s => new StepResult(state.RunId, state.Options.Direction, s, executed: false)).ToList();
        Tables = state.Copy.Select(c => new TableCopyProgress(c.Table, c.RowsPlanned, c.RowsCopied, c.ChunksCopied, c.Complete)).ToList();
        FlipTo = state.Flip?.To;
        FlipFileWritten = state.Flip?.FileWritten ?? false;
        FlipRowWritten = state.Flip?.RowWritten ?? false;
        StatePath = statePath;
        LockHeld = lockHeld;
        Online = state.Options.Online;
        if (state.Online is { } online)
        {
            ChangesWaiting = online.ChangesWaiting;
            SecondsBehind = online.SecondsBehind;
            LastVerifiedAt = online.LastVerifiedAt;
            WaitingForApproval = online.WaitingForApproval && state.Status == RunStatus.Running;
            ChangesReplayed = online.EntriesReplayed;
            CaptureInstalled = online.CaptureInstalledAt != null && online.CaptureRemovedAt == null;
        }
    }

    /// <summary>An online run (-Online).</summary>
    public bool Online { get; }

    /// <summary>Online: the source still carries this run's capture triggers and changelogs.</summary>
    public bool CaptureInstalled { get; }

    /// <summary>Online: changes captured and not yet replayed onto the target, when last looked at.</summary>
    public long ChangesWaiting { get; }

    /// <summary>Online: how old the oldest waiting change was then, in seconds (the replay's lag).</summary>
    public double SecondsBehind { get; }

    /// <summary>Online: changes replayed so far.</summary>
    public long ChangesReplayed { get; }

    /// <summary>Online: when the last verification of every table while live ended.</summary>
    public DateTimeOffset? LastVerifiedAt { get; }

    /// <summary>Online with -PauseBeforeCutover: caught up and waiting for Approve-DataMigrationCutover.</summary>
    public bool WaitingForApproval { get; }

    /// <summary>Run id.</summary>
    public string RunId { get; }

    /// <summary>ToCluster or ToShopware.</summary>
    public MigrationDirection Direction { get; }

    /// <summary>Running, Failed or Completed.</summary>
    public RunStatus Status { get; }

    /// <summary>-DropSource was given.</summary>
    public bool DropSource { get; }

    /// <summary>Full or Sample.</summary>
    public VerificationMode Verification { get; }

    /// <summary>Read from.</summary>
    public string Source { get; }

    /// <summary>Written to.</summary>
    public string Target { get; }

    /// <summary>When the run started.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>When the state was last written.</summary>
    public DateTimeOffset UpdatedAt { get; }

    /// <summary>When it completed.</summary>
    public DateTimeOffset? FinishedAt { get; }

    /// <summary>The step a rerun starts at (null when complete).</summary>
    public string? NextStep { get; }

    /// <summary>The ten steps.</summary>
    public IReadOnlyList<StepResult> Steps { get; }

    /// <summary>Copy progress per table.</summary>
    public IReadOnlyList<TableCopyProgress> Tables { get; }

    /// <summary>The location the flip goes to, once step 6 began.</summary>
    public string? FlipTo { get; }

    /// <summary>The cluster file was flipped.</summary>
    public bool FlipFileWritten { get; }

    /// <summary>The system_config row was flipped.</summary>
    public bool FlipRowWritten { get; }

    /// <summary>The state file.</summary>
    public string StatePath { get; }

    /// <summary>A live process holds the run lock now.</summary>
    public bool LockHeld { get; }
}
