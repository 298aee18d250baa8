namespace MarketplaceMigration.Engine.Diagnostics;

/// <summary>Progress of one table in a copy or verification, as data (the cmdlet turns it into Write-Progress).</summary>
public sealed record ProgressUpdate
{
    /// <summary>Stable id per table within a run (the parent activity is the run).</summary>
    public int ActivityId { get; init; }

    /// <summary>e.g. <c>import_tables</c>.</summary>
    public string Activity { get; init; } = string.Empty;

    /// <summary>The table.</summary>
    public string Table { get; init; } = string.Empty;

    /// <summary>Rows done.</summary>
    public long RowsDone { get; init; }

    /// <summary>Rows in all (an estimate until counted).</summary>
    public long RowsTotal { get; init; }

    /// <summary>Rows per second so far.</summary>
    public double RowsPerSecond { get; init; }

    /// <summary>Seconds left at the current rate, -1 when unknown.</summary>
    public int SecondsRemaining { get; init; } = -1;

    /// <summary>Why it waits, when it does (throttling).</summary>
    public string? Note { get; init; }

    /// <summary>The table is finished.</summary>
    public bool Completed { get; init; }
}
