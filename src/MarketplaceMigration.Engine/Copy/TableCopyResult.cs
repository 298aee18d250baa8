namespace MarketplaceMigration.Engine.Copy;

/// <summary>One table copied by Copy-DataPlane.</summary>
/// <param name="Table">The table.</param>
/// <param name="Rows">Rows copied.</param>
/// <param name="Chunks">Chunks committed.</param>
/// <param name="Seconds">How long it took.</param>
/// <param name="RowsPerSecond">Throughput.</param>
/// <param name="Source">Read from.</param>
/// <param name="Target">Written to.</param>
public sealed record TableCopyResult(string Table, long Rows, int Chunks, double Seconds, long RowsPerSecond, string Source, string Target);
