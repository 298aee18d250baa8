namespace MarketplaceMigration.Engine.Discovery;

/// <summary>The commands a move runs around the cluster, and where the cluster answers.</summary>
/// <param name="Restart">Step 7's restart command (clusterRestartCommand).</param>
/// <param name="Smoke">Step 8's ping command; null when none is known.</param>
/// <param name="CacheClear">Run after each direct write to system_config; null for none.</param>
/// <param name="Host">The cluster's host (flyokaiHost).</param>
/// <param name="ChannelPort">The cluster's channel port (flyokaiChannelPort).</param>
/// <param name="HttpPort">The cluster's HTTP port (flyokaiHttpPort).</param>
public sealed record ClusterCommands(string Restart, string? Smoke, string? CacheClear, string Host, int ChannelPort, int HttpPort);
