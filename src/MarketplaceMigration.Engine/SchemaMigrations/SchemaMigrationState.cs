namespace MarketplaceMigration.Engine.SchemaMigrations;

/// <summary>Where a migration stands on one endpoint.</summary>
public enum SchemaMigrationState
{
    /// <summary>Its update part has not run.</summary>
    Pending,

    /// <summary>Its update part ran; its destructive part waits for -Destructive.</summary>
    DestructivePending,

    /// <summary>Everything it has ran.</summary>
    Applied,

    /// <summary>The lock file says skip: it never runs.</summary>
    Skipped,

    /// <summary>A statement failed; a rerun (after a fix) continues at that statement.</summary>
    Failed,

    /// <summary>It ran, and its file has changed since: reported, never re-run.</summary>
    ChangedAfterApply,

    /// <summary>It ran (or the lock file lists it), but no source holds its file any more.</summary>
    FileMissing,

    /// <summary>Not for this endpoint (its -- @endpoint names the other one).</summary>
    NotForEndpoint,
}
