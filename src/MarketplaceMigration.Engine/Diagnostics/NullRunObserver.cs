namespace MarketplaceMigration.Engine.Diagnostics;

/// <summary>An observer that drops everything.</summary>
public sealed class NullRunObserver : IRunObserver
{
    /// <summary>The one instance; it has no state.</summary>
    public static NullRunObserver Instance { get; } = new();

    /// <inheritdoc />
    public void Verbose(string message) { }

    /// <inheritdoc />
    public void Debug(string message) { }

    /// <inheritdoc />
    public void Warning(string message) { }

    /// <inheritdoc />
    public void Progress(ProgressUpdate update) { }
}
