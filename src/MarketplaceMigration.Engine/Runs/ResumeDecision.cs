namespace MarketplaceMigration.Engine.Runs;

/// <summary>How a run begins, decided from the evidence (state file, gate, selectors).</summary>
public enum ResumeDecision
{
    /// <summary>No unfinished run: a new one starts at step 1.</summary>
    NewRun,

    /// <summary>An unfinished run in the same direction continues at its first step that is not done.</summary>
    Resume,

    /// <summary>The gate was lifted by hand before the flip: the copy may be stale, so the run starts again at set_maintenance.</summary>
    RestartAfterGateLifted,

    /// <summary>
    /// The last run already finished this move and both selectors still say so (a rerun after a kill
    /// just after step 10, or an Ansible task run twice): nothing runs, and the command succeeds.
    /// </summary>
    AlreadyDone,
}
