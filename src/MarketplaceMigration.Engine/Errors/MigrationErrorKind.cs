namespace MarketplaceMigration.Engine.Errors;

/// <summary>
/// The family a failure belongs to. The PowerShell layer maps each kind to one ErrorCategory
/// (ErrorRecordFactory is the only place that does it).
/// </summary>
public enum MigrationErrorKind
{
    /// <summary>Anything not covered by another kind.</summary>
    Unspecified = 0,

    /// <summary>A value the user or a configuration file gave is malformed or not allowed.</summary>
    InvalidInput,

    /// <summary>A file, table, key or database that must exist does not.</summary>
    NotFound,

    /// <summary>A target holds data we cannot prove is ours.</summary>
    TargetNotEmpty,

    /// <summary>A server cannot be reached.</summary>
    Connection,

    /// <summary>The server or the file system refused access.</summary>
    Permission,

    /// <summary>A precondition of the run does not hold (schema drift, a check that failed).</summary>
    PreflightFailed,

    /// <summary>Data on the two ends does not verify equal.</summary>
    VerificationFailed,

    /// <summary>A state or checkpoint file cannot be used.</summary>
    CheckpointIncompatible,

    /// <summary>Something did not finish within its deadline.</summary>
    Timeout,

    /// <summary>The user or the host stopped the operation.</summary>
    Canceled,

    /// <summary>It is unclear who owns a partial copy: verify manually, do not re-run.</summary>
    OwnershipAmbiguous,
}
