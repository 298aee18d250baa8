namespace MarketplaceMigration.Engine.Cluster;

/// <summary>A restart of the cluster (Restart-MarketplaceCluster).</summary>
/// <param name="Command">The restart command.</param>
/// <param name="ExitCode">Its exit code.</param>
/// <param name="CommandSeconds">How long it ran.</param>
/// <param name="PortSeconds">Seconds from its end until the channel port answered.</param>
/// <param name="Endpoint">host:channelPort.</param>
/// <param name="Output">Its last lines of output.</param>
public sealed record ClusterRestartResult(
    string Command,
    int ExitCode,
    double CommandSeconds,
    double PortSeconds,
    string Endpoint,
    string Output
);
