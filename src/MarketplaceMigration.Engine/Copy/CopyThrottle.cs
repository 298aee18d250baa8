using System;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Threading;
using MySqlConnector;

namespace MarketplaceMigration.Engine.Copy;

/// <summary>
/// Keeps the copy from hurting a busy source: at most <see cref="MaxRowsPerSecond"/> rows per second
/// across all copy workers, and a pause before each chunk while the source's global status variable
/// <see cref="PauseStatus"/> is above <see cref="PauseAbove"/> (e.g. Threads_running above 20). The
/// reason for a wait is reported as progress. Only a status variable name and a number are accepted,
/// never SQL.
/// </summary>
public sealed class CopyThrottle
{
    private static readonly Regex StatusName = new("^[A-Za-z_][A-Za-z0-9_]{0,63}$", RegexOptions.CultureInvariant);
    private readonly object _gate = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private double _budgetUsed;

    /// <summary>A throttle; all limits null means none.</summary>
    public CopyThrottle(int? maxRowsPerSecond, string? pauseStatus, long? pauseAbove)
    {
        if (pauseStatus != null && !StatusName.IsMatch(pauseStatus))
            throw new ArgumentException("Not a status variable name: " + pauseStatus, nameof(pauseStatus));
        MaxRowsPerSecond = maxRowsPerSecond;
        PauseStatus = pauseStatus;
        PauseAbove = pauseAbove;
    }

    /// <summary>No limits.</summary>
    public static CopyThrottle None { get; } = new(null, null, null);

    /// <summary>Rows per second across all workers, or null.</summary>
    public int? MaxRowsPerSecond { get; }

    /// <summary>A global status variable of the source, e.g. Threads_running, or null.</summary>
    public string? PauseStatus { get; }

    /// <summary>Pause while <see cref="PauseStatus"/> is above this.</summary>
    public long? PauseAbove { get; }

    /// <summary>The largest chunk that keeps a rate-limited copy smooth (about one second of budget).</summary>
    public int? MaxChunkRows => MaxRowsPerSecond;

    /// <summary>Waits until a chunk of <paramref name="rows"/> may start: while the source is too busy, and until the rate budget allows it.</summary>
    /// <remarks>Blocking: it runs on the copy's streaming thread and queries through its blocking session.</remarks>
    public void Wait(MySqlConnection source, long rows, Action<string> report, CancellationToken cancellationToken)
    {
        if (report is null)
            throw new ArgumentNullException(nameof(report));
        if (PauseStatus != null && PauseAbove.HasValue)
        {
            while (true)
            {
                var value = Status(source);
                if (value is null || value <= PauseAbove)
                    break;
                report($"paused: {PauseStatus} is {value} on the source (limit {PauseAbove})");
                Sleep(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }

        if (MaxRowsPerSecond is { } max)
        {
            double wait;
            lock (_gate)
            {
                // A shared budget: every worker's chunk is scheduled after the rows already granted.
                _budgetUsed = Math.Max(_budgetUsed, _clock.Elapsed.TotalSeconds * max);
                wait = (_budgetUsed - (_clock.Elapsed.TotalSeconds * max)) / max;
                _budgetUsed += rows;
            }

            if (wait > 0.01)
            {
                report($"throttled to {max} rows/s");
                Sleep(TimeSpan.FromSeconds(wait), cancellationToken);
            }
        }
    }

    private static void Sleep(TimeSpan time, CancellationToken cancellationToken)
    {
        if (cancellationToken.WaitHandle.WaitOne(time))
            throw new OperationCanceledException(cancellationToken);
    }

    private long? Status(MySqlConnection source)
    {
        using var command = new MySqlCommand("SHOW GLOBAL STATUS WHERE Variable_name = @name", source);
        command.Parameters.AddWithValue("@name", PauseStatus);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
            return null;
        return long.TryParse(
            Convert.ToString(reader.GetValue(1), CultureInfo.InvariantCulture),
            NumberStyles.Integer,
            CultureInfo.InvariantCulture,
            out var v
        )
            ? v
            : null;
    }
}
