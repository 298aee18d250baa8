using System;

namespace MarketplaceMigration.Engine.Verify;

/// <summary>
/// The digest of a set of rows: the row count, the exact sum of the rows' 64-bit hashes (first 64 bits of
/// SHA-256, server side), and two 64-bit sums of SHA-256 halves for JSON columns hashed by content on the
/// client. Summing is order independent, so one key range digests the same on both servers; unlike an
/// XOR of CRC32s, two equal wrong rows do not cancel out, and 64 bits make an accidental match negligible.
/// </summary>
public readonly struct ChunkDigest : IEquatable<ChunkDigest>
{
    /// <summary>Creates a digest.</summary>
    public ChunkDigest(long rows, decimal laneA, ulong jsonA, ulong jsonB)
    {
        Rows = rows;
        LaneA = laneA;
        JsonA = jsonA;
        JsonB = jsonB;
    }

    /// <summary>Rows in the range.</summary>
    public long Rows { get; }

    /// <summary>Sum of the 64-bit row hashes (exact: the server sums into DECIMAL).</summary>
    public decimal LaneA { get; }

    /// <summary>Sum (mod 2^64) of the first 64 bits of the JSON columns' hashes.</summary>
    public ulong JsonA { get; }

    /// <summary>Sum (mod 2^64) of the second 64 bits of the JSON columns' hashes.</summary>
    public ulong JsonB { get; }

    /// <inheritdoc />
    public bool Equals(ChunkDigest other) => Rows == other.Rows && LaneA == other.LaneA && JsonA == other.JsonA && JsonB == other.JsonB;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ChunkDigest other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Rows.GetHashCode() ^ LaneA.GetHashCode() ^ JsonA.GetHashCode();

    /// <summary>Equal digests.</summary>
    public static bool operator ==(ChunkDigest left, ChunkDigest right) => left.Equals(right);

    /// <summary>Different digests.</summary>
    public static bool operator !=(ChunkDigest left, ChunkDigest right) => !left.Equals(right);
}
