namespace MarketplaceMigration.Engine.Runs;

/// <summary>Copy progress of one table, as Get-MigrationState shows it.</summary>
/// <param name="Table">The table.</param>
/// <param name="RowsPlanned">Rows counted on the source.</param>
/// <param name="RowsCopied">Rows committed to the target.</param>
/// <param name="Chunks">Chunks committed.</param>
/// <param name="Complete">Every row is on the target.</param>
public sealed record TableCopyProgress(string Table, long RowsPlanned, long RowsCopied, int Chunks, bool Complete)
{
    /// <summary>"flyokai_order 1200/1200 rows": how a list of tables reads in Format-List.</summary>
    public override string ToString() => $"{Table} {RowsCopied}/{RowsPlanned} rows" + (Complete ? string.Empty : " (copying)");
}
