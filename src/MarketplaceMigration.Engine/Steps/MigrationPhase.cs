namespace MarketplaceMigration.Engine.Steps;

/// <summary>The phases of a run in lifecycle order.</summary>
public enum MigrationPhase
{
    /// <summary>Checks before anything changes (step 1).</summary>
    Preflight,

    /// <summary>Gate set and drained (step 2).</summary>
    Freeze,

    /// <summary>The copy (steps 3 and 4).</summary>
    Copy,

    /// <summary>The verification (step 5).</summary>
    Verify,

    /// <summary>Selectors flipped, cluster restarted, smoke-tested (steps 6 to 8).</summary>
    Cutover,

    /// <summary>Source emptied and gate lifted (steps 9 and 10).</summary>
    Cleanup,
}
