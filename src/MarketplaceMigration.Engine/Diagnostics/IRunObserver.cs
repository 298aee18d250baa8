namespace MarketplaceMigration.Engine.Diagnostics;

/// <summary>
/// How the engine tells its caller what is happening, as data. The PowerShell layer turns these into
/// the Verbose, Debug and Warning streams on the pipeline thread. Messages name things, never secrets.
/// </summary>
public interface IRunObserver
{
    /// <summary>What the engine is doing, for an operator following along (-Verbose).</summary>
    void Verbose(string message);

    /// <summary>Detail for diagnosing a problem (-Debug): queries, timings, decisions.</summary>
    void Debug(string message);

    /// <summary>Something the operator should know that does not stop the work.</summary>
    void Warning(string message);

    /// <summary>Progress of a table in a copy or verification.</summary>
    void Progress(ProgressUpdate update);
}
