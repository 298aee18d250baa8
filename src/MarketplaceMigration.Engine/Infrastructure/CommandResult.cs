namespace MarketplaceMigration.Engine.Infrastructure;

/// <summary>How a child process ended.</summary>
/// <param name="ExitCode">Exit code (-1 when it was killed on timeout).</param>
/// <param name="Output">Standard output and error, interleaved, the last 64 KiB at most.</param>
/// <param name="TimedOut">It ran past its deadline and was killed.</param>
/// <param name="Seconds">How long it ran.</param>
public sealed record CommandResult(int ExitCode, string Output, bool TimedOut, double Seconds)
{
    /// <summary>The last lines of the output, for messages.</summary>
    public string Tail(int lines = 8)
    {
        var all = Output.TrimEnd().Split('\n');
        var start = all.Length > lines ? all.Length - lines : 0;
        return string.Join("\n", all, start, all.Length - start).Trim();
    }
}
