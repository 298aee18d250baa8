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
    /// <summary>The first chunk's rows when adaptive.</summary>
    public const int FirstRows = 100_000;

    private const double TargetSeconds = 2.0;
    private const int Min = 1000;
    private const int Max = 1_000_000;
    private readonly bool _fixed;
    private readonly int _cap;

    /// <summary>A sizer; <paramref name="fixedRows"/> null for adaptive.</summary>
    public ChunkSizer(int? fixedRows)
        : this(fixedRows, null) { }

    /// <summary>A sizer whose chunks never exceed <paramref name="cap"/> rows (a Galera write-set's limit), fixed or adaptive.</summary>
    public ChunkSizer(int? fixedRows, int? cap)
    {
        _fixed = fixedRows.HasValue;
        _cap = Math.Max(1, cap ?? int.MaxValue);
        Rows = Math.Min(fixedRows ?? FirstRows, _cap);
    }

    /// <summary>Rows of the next chunk.</summary>
    public int Rows { get; private set; }

    /// <summary>Records how long a chunk of <paramref name="rows"/> took; the <paramref name="last"/> chunk (open-ended, often
    /// short) says nothing about the rate.</summary>
    /// <remarks>Over a key cut arithmetically a chunk of <see cref="Rows"/> key values may hold fewer rows (gaps): its rate still counts.</remarks>
    public void Observe(long rows, double seconds, bool last = false)
    {
        if (_fixed || last || rows == 0)
            return;
        var rate = rows / Math.Max(0.001, seconds);
        var next = Math.Max(Math.Min(rate * TargetSeconds, (double)Rows * 4), Rows / 4.0);
        Rows = (int)Math.Min(_cap, Math.Max(Min, Math.Min(next, Max)));
    }
}
