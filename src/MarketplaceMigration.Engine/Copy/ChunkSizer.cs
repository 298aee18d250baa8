using System;

namespace MarketplaceMigration.Engine.Copy;

/// <summary>
/// Chooses the next chunk's row count. A fixed size when the profile sets <c>chunkRows</c>;
/// otherwise adaptive: the first chunk is large (100,000 rows: MariaDB loads the first transaction
/// into an empty table on its fast bulk path), then each chunk aims at about two seconds of work
/// (small chunks waste round trips and commits, big ones make a resume redo more), between 1,000 and
/// 1,000,000 rows, changing at most fourfold per step.
/// </summary>
public sealed class ChunkSizer
{
    private const double TargetSeconds = 2.0;
    private const int Min = 1000;
    private const int Max = 1_000_000;
    private readonly bool _fixed;

    /// <summary>A sizer; <paramref name="fixedRows"/> null for adaptive.</summary>
    public ChunkSizer(int? fixedRows)
    {
        _fixed = fixedRows.HasValue;
        Rows = fixedRows ?? 100_000;
    }

    /// <summary>Rows of the next chunk.</summary>
    public int Rows { get; private set; }

    /// <summary>Records how long a chunk of <paramref name="rows"/> took.</summary>
    public void Observe(long rows, double seconds)
    {
        if (_fixed || rows < Rows) return;   // a short (last) chunk says nothing about the rate
        var rate = rows / Math.Max(0.001, seconds);
        var next = Math.Max(Math.Min(rate * TargetSeconds, (double)Rows * 4), Rows / 4.0);
        Rows = (int)Math.Max(Min, Math.Min(next, Max));
    }
}
