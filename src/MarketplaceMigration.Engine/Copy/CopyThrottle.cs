using System;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using MySqlConnector;

namespace MarketplaceMigration.Engine.Copy;

/// <summary>
/// Keeps the run from hurting a busy source: at most <see cref="MaxRowsPerSecond"/> rows per second
/// across all copy workers (and, in an online run, the replay and the verification while live, which share
/// the budget), and a pause before each chunk while the source's global status variable
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
            while (Paused(StatusAsync(source, blocking: true, cancellationToken).GetAwaiter().GetResult(), report))
                Sleep(TimeSpan.FromSeconds(1), cancellationToken);
        }

        var wait = Book(rows, report);
        if (wait > TimeSpan.Zero)
            Sleep(wait, cancellationToken);
    }

    /// <summary>
    /// <see cref="Wait"/> for a caller that reads asynchronously (the verification while live): the same pause, and the
    /// same rate budget, shared with the copy and the replay, so the throttle holds for everything the run reads from a live source.
    /// </summary>
    public async Task WaitAsync(MySqlConnection source, long rows, Action<string> report, CancellationToken cancellationToken)
    {
        if (report is null)
            throw new ArgumentNullException(nameof(report));
        if (PauseStatus != null && PauseAbove.HasValue)
        {
            while (Paused(await StatusAsync(source, blocking: false, cancellationToken).ConfigureAwait(false), report))
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        }

        var wait = Book(rows, report);
        if (wait > TimeSpan.Zero)
            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
    }

    private bool Paused(long? value, Action<string> report)
    {
        if (value is null || value <= PauseAbove)
            return false;
        report($"paused: {PauseStatus} is {value} on the source (limit {PauseAbove})");
        return true;
    }

    /// <summary>Books <paramref name="rows"/> against the rate budget and returns how long to wait before reading them.</summary>
    private TimeSpan Book(long rows, Action<string> report)
    {
        if (MaxRowsPerSecond is not { } max)
            return TimeSpan.Zero;
        double wait;
        lock (_gate)
        {
            // A shared budget: every worker's chunk is scheduled after the rows already granted.
            _budgetUsed = Math.Max(_budgetUsed, _clock.Elapsed.TotalSeconds * max);
            wait = (_budgetUsed - (_clock.Elapsed.TotalSeconds * max)) / max;
            _budgetUsed += rows;
        }

        if (wait <= 0.01)
            return TimeSpan.Zero;
        report($"throttled to {max} rows/s");
        return TimeSpan.FromSeconds(wait);
    }

    private static void Sleep(TimeSpan time, CancellationToken cancellationToken)
    {
        if (cancellationToken.WaitHandle.WaitOne(time))
            throw new OperationCanceledException(cancellationToken);
    }

    /// <summary>
    /// The pause variable's value on the source; <paramref name="blocking"/>: through blocking I/O (the copy's thread), and
    /// then complete on return.
    /// </summary>
    private async Task<long?> StatusAsync(MySqlConnection source, bool blocking, CancellationToken cancellationToken)
    {
        using var command = new MySqlCommand("SHOW GLOBAL STATUS WHERE Variable_name = @name", source);
        command.Parameters.AddWithValue("@name", PauseStatus);
        using var reader = blocking ? command.ExecuteReader() : await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
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
