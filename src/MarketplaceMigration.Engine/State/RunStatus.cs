namespace MarketplaceMigration.Engine.State;

/// <summary>Where a run stands as a whole.</summary>
public enum RunStatus
{
    /// <summary>Steps are executing (or the process died while they were).</summary>
    Running,

    /// <summary>A step failed; rerun the same command to resume.</summary>
    Failed,

    /// <summary>All ten steps are done.</summary>
    Completed,

    /// <summary>Stopped before a step because the operator declined its prompt (-Confirm): not a failure; rerun the same command to continue there.</summary>
    Stopped,

    /// <summary>Ended by Stop-DataMigration before its flip: the capture removed, the source as it was; a new run starts afresh.</summary>
    Canceled,
}
