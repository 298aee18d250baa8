namespace MarketplaceMigration.Engine.Cluster;

/// <summary>What the ping said.</summary>
/// <param name="Command">The command that ran.</param>
/// <param name="Output">Its last lines.</param>
/// <param name="Sellers">The seller count it reported, if it reported one.</param>
/// <param name="ExpectedSellers">The seller count of the new location, when the ping reported one.</param>
/// <param name="Seconds">How long it ran.</param>
public sealed record SmokeResult(string Command, string Output, long? Sellers, long? ExpectedSellers, double Seconds);
