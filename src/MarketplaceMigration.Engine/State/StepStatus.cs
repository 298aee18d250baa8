namespace MarketplaceMigration.Engine.State;

/// <summary>Where a step of a run stands.</summary>
public enum StepStatus
{
    /// <summary>Not started.</summary>
    Pending,

    /// <summary>Started and not finished (a crash leaves this behind).</summary>
    Running,

    /// <summary>Done.</summary>
    Succeeded,

    /// <summary>Stopped with an error; a rerun resumes here.</summary>
    Failed,

    /// <summary>Not needed in this run (drop_source_tables without -DropSource).</summary>
    Skipped,
}
