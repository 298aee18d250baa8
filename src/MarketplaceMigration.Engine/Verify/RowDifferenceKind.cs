namespace MarketplaceMigration.Engine.Verify;

/// <summary>How a row differs between the ends.</summary>
public enum RowDifferenceKind
{
    /// <summary>The source has the row; the target does not.</summary>
    MissingInTarget,

    /// <summary>The target has a row the source does not.</summary>
    ExtraInTarget,

    /// <summary>Both have the key, with different contents.</summary>
    Different,
}
