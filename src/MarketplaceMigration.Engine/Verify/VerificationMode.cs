namespace MarketplaceMigration.Engine.Verify;

/// <summary>How step 5 verifies the copy.</summary>
public enum VerificationMode
{
    /// <summary>Row counts and a checksum of every row, chunk by chunk, on both servers.</summary>
    Full,

    /// <summary>The seed's check: row counts and a full-row compare of up to 8 random keys per table.</summary>
    Sample,
}
