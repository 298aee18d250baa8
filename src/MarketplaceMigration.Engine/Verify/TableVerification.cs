using System.Collections.Generic;

namespace MarketplaceMigration.Engine.Verify;

/// <summary>The verification of one table: counts on both ends, chunks compared, and the rows that differ.</summary>
public sealed class TableVerification
{
    /// <summary>Creates a result.</summary>
    public TableVerification(
        string table,
        string mode,
        long sourceRows,
        long targetRows,
        int chunks,
        int mismatchedChunks,
        IReadOnlyList<RowDifference> differences,
        double seconds
    )
    {
        Table = table;
        Mode = mode;
        SourceRows = sourceRows;
        TargetRows = targetRows;
        Chunks = chunks;
        MismatchedChunks = mismatchedChunks;
        Differences = differences;
        Seconds = seconds;
    }

    /// <summary>The table.</summary>
    public string Table { get; }

    /// <summary>Full or Sample; under an online run's gate, Changed (counts and the changed rows) or Ranges (the ranges left different while live).</summary>
    public string Mode { get; }

    /// <summary>Rows on the source.</summary>
    public long SourceRows { get; }

    /// <summary>Rows on the target.</summary>
    public long TargetRows { get; }

    /// <summary>Key ranges compared (Full) or keys sampled (Sample).</summary>
    public int Chunks { get; }

    /// <summary>Ranges or keys whose digests differ.</summary>
    public int MismatchedChunks { get; }

    /// <summary>Rows that differ (the first ones found in each mismatched range).</summary>
    public IReadOnlyList<RowDifference> Differences { get; }

    /// <summary>Both ends hold the same rows.</summary>
    public bool Equal => SourceRows == TargetRows && MismatchedChunks == 0 && Differences.Count == 0;

    /// <summary>A verification while live: the key ranges still different after their re-checks (for the gate to compare again).</summary>
    internal IReadOnlyList<Tables.KeyRange> DifferingRanges { get; init; } = System.Array.Empty<Tables.KeyRange>();

    /// <summary>
    /// A comparison by key (<see cref="DataVerifier.VerifyKeysAsync"/>): the keys (as <see cref="DataVerifier.KeyText"/>) of
    /// every row that differs, not only the first ones.
    /// </summary>
    internal IReadOnlyList<string> DifferingKeys { get; init; } = System.Array.Empty<string>();

    /// <summary>How long it took.</summary>
    public double Seconds { get; }
}
