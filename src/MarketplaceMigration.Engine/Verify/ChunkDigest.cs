using System;

namespace MarketplaceMigration.Engine.Verify;

/// <summary>
/// The digest of a set of rows: the row count and two 64-bit lanes, each the sum of one half of the
/// rows' 128-bit MD5 (server side) or SHA-256 prefix (JSON columns, client side). Summing is order
/// independent, so one key range digests the same on both servers; 128 bits make an accidental
/// collision negligible, unlike an XOR of CRC32s, where two equal wrong rows cancel out.
/// </summary>
public readonly struct ChunkDigest : IEquatable<ChunkDigest>
{
    /// <summary>Creates a digest.</summary>
    public ChunkDigest(long rows, decimal laneA, decimal laneB, ulong jsonA, ulong jsonB)
    {
        Rows = rows;
        LaneA = laneA;
        LaneB = laneB;
        JsonA = jsonA;
        JsonB = jsonB;
    }

    /// <summary>Rows in the range.</summary>
    public long Rows { get; }

    /// <summary>Sum of the first 64 bits of every row hash (exact: the server sums into DECIMAL).</summary>
    public decimal LaneA { get; }

    /// <summary>Sum of the second 64 bits.</summary>
    public decimal LaneB { get; }

    /// <summary>Sum (mod 2^64) of the first 64 bits of the JSON columns' hashes.</summary>
    public ulong JsonA { get; }

    /// <summary>Sum (mod 2^64) of the second 64 bits of the JSON columns' hashes.</summary>
    public ulong JsonB { get; }

    /// <inheritdoc />
    public bool Equals(ChunkDigest other) => Rows == other.Rows && LaneA == other.LaneA && LaneB == other.LaneB && JsonA == other.JsonA && JsonB == other.JsonB;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ChunkDigest other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Rows.GetHashCode() ^ LaneA.GetHashCode() ^ JsonA.GetHashCode();

    /// <summary>Equal digests.</summary>
    public static bool operator ==(ChunkDigest left, ChunkDigest right) => left.Equals(right);

    /// <summary>Different digests.</summary>
    public static bool operator !=(ChunkDigest left, ChunkDigest right) => !left.Equals(right);
}
