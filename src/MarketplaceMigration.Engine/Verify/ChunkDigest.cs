using System;

namespace MarketplaceMigration.Engine.Verify;

/// <summary>
/// The digest of a set of rows: the row count, the rows' 64-bit hashes (first 64 bits of SHA-256, server
/// side) folded either in reading order by SHA-256 (<see cref="Ordered"/>) or as their exact sum
/// (<see cref="LaneA"/>), and two 64-bit sums of SHA-256 halves for JSON columns hashed by content on the
/// client. Unlike an XOR of CRC32s, two equal wrong rows do not cancel out, and 64 bits a row make an
/// accidental match negligible. Only digests folded the same way compare (<see cref="RowHashSql"/>).
/// </summary>
public readonly struct ChunkDigest : IEquatable<ChunkDigest>
{
    /// <summary>Creates a digest.</summary>
    public ChunkDigest(long rows, decimal laneA, ulong jsonA, ulong jsonB, string? ordered = null)
    {
        Rows = rows;
        LaneA = laneA;
        JsonA = jsonA;
        JsonB = jsonB;
        Ordered = ordered;
    }

    /// <summary>Rows in the range.</summary>
    public long Rows { get; }

    /// <summary>Sum of the 64-bit row hashes (exact: the server sums into DECIMAL); 0 when folded in order.</summary>
    public decimal LaneA { get; }

    /// <summary>SHA-256 (hex) over the 64-bit row hashes in the server's reading order, or null when summed.</summary>
    public string? Ordered { get; }

    /// <summary>Sum (mod 2^64) of the first 64 bits of the JSON columns' hashes.</summary>
    public ulong JsonA { get; }

    /// <summary>Sum (mod 2^64) of the second 64 bits of the JSON columns' hashes.</summary>
    public ulong JsonB { get; }

    /// <inheritdoc />
    public bool Equals(ChunkDigest other) =>
        Rows == other.Rows
        && LaneA == other.LaneA
        && JsonA == other.JsonA
        && JsonB == other.JsonB
        && string.Equals(Ordered, other.Ordered, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ChunkDigest other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Rows.GetHashCode() ^ LaneA.GetHashCode() ^ JsonA.GetHashCode();

    /// <summary>Equal digests.</summary>
    public static bool operator ==(ChunkDigest left, ChunkDigest right) => left.Equals(right);

    /// <summary>Different digests.</summary>
    public static bool operator !=(ChunkDigest left, ChunkDigest right) => !left.Equals(right);
}
