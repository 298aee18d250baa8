namespace MarketplaceMigration.Engine.Location;

/// <summary>
/// The intent of step 6, written before either selector changes, and which half is done, so a
/// failure or crash between the two writes is reconciled on rerun, never left split.
/// </summary>
public sealed class FlipJournal
{
    /// <summary>The data location the run flips to.</summary>
    public string To { get; set; } = string.Empty;

    /// <summary><c>db.connection.active</c> before the flip.</summary>
    public string? PreviousActive { get; set; }

    /// <summary>Shopware's dataLocation before the flip.</summary>
    public string? PreviousLocation { get; set; }

    /// <summary>Where the cluster file was backed up.</summary>
    public string? BackupPath { get; set; }

    /// <summary>The cluster file says <see cref="To"/>.</summary>
    public bool FileWritten { get; set; }

    /// <summary>system_config says <see cref="To"/>.</summary>
    public bool RowWritten { get; set; }
}
