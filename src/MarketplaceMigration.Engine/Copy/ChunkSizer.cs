using System;

namespace MarketplaceMigration.Engine.Copy;

/// <summary>
/// Chooses the next chunk's row count. A fixed size when the profile sets <c>chunkRows</c>;
/// otherwise adaptive: each chunk aims at about half a second of work (small chunks waste round
/// trips and transactions, big ones make a resume redo more and hold locks longer), between 1,000
/// and 500,000 rows, growing at most fourfold per step.
/// </summary>
public sealed class ChunkSizer
{
    private const double TargetSeconds = 0.5;
    private const int Min = 1000;
    private const int Max = 500_000;
    private readonly bool _fixed;

    /// <summary>A sizer; <paramref name="fixedRows"/> null for adaptive.</summary>
    public ChunkSizer(int? fixedRows)
    {
        _fixed = fixedRows.HasValue;
        Rows = fixedRows ?? 10_000;
    }

    /// <summary>Rows of the next chunk.</summary>
    public int Rows { get; private set; }

    /// <summary>Records how long a chunk of <paramref name="rows"/> took.</summary>
    public void Observe(long rows, double seconds)
    {
        if (_fixed || rows < Rows) return;   // a short (last) chunk says nothing about the rate
        var rate = rows / Math.Max(0.001, seconds);
        var next = (int)Math.Min(Math.Min(rate * TargetSeconds, (double)Rows * 4), Max);
        Rows = Math.Max(Min, next);
    }
}
