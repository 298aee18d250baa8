namespace MarketplaceMigration.Engine.Cluster;

/// <summary>What the ping said.</summary>
/// <param name="Command">The command that ran.</param>
/// <param name="Output">Its last lines.</param>
/// <param name="Sellers">The seller count it reported, if it reported one.</param>
/// <param name="ExpectedSellers">The seller count of the new location, when the ping reported one.</param>
/// <param name="Seconds">How long it ran.</param>
public sealed record SmokeResult(string Command, string Output, long? Sellers, long? ExpectedSellers, double Seconds)
{
    /// <summary>
    /// Whether the ping passed: it answered, and its seller count (when it reported one) is the new
    /// location's. A ping that fails is an error instead (SmokeTestFailed), so a result that exists passed.
    /// </summary>
    public bool Passed => ExpectedSellers is null || Sellers == ExpectedSellers;
}
