namespace MarketplaceMigration.Engine.Schema;

/// <summary>Whether a difference stops a move (schema_check) or is only reported.</summary>
public enum DifferenceSeverity
{
    /// <summary>Reported; the move may go on.</summary>
    Warning,

    /// <summary>Drift: schema_check aborts.</summary>
    Error,
}
