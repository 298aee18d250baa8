using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using MarketplaceMigration.Engine.Diagnostics;

namespace MarketplaceMigration.TestRig;

/// <summary>
/// An observer that keeps what the engine said, from any thread: every message as a line prefixed
/// with its stream (V, D, W), the warnings alone, and the notes progress updates carried.
/// </summary>
public sealed class RecordingObserver : IRunObserver
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ConcurrentQueue<string> _notes = new();

    /// <summary>Every verbose, debug and warning message, prefixed with V, D or W, in order.</summary>
    public IReadOnlyList<string> Lines => _lines.ToList();

    /// <summary>The warnings.</summary>
    public IReadOnlyList<string> Warnings => Stream("W ");

    /// <summary>The debug messages.</summary>
    public IReadOnlyList<string> Debugs => Stream("D ");

    /// <summary>The notes of the progress updates that had one (a throttle's reason).</summary>
    public IReadOnlyList<string> Notes => _notes.ToList();

    /// <inheritdoc />
    public void Verbose(string message) => _lines.Enqueue("V " + message);

    /// <inheritdoc />
    public void Debug(string message) => _lines.Enqueue("D " + message);

    /// <inheritdoc />
    public void Warning(string message) => _lines.Enqueue("W " + message);

    /// <inheritdoc />
    public void Progress(ProgressUpdate update)
    {
        if (update.Note != null) _notes.Enqueue(update.Note);
    }

    private List<string> Stream(string prefix) => _lines.Where(l => l.StartsWith(prefix, System.StringComparison.Ordinal)).Select(l => l.Substring(prefix.Length)).ToList();
}
