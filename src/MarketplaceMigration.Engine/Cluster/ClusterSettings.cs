using System;

namespace MarketplaceMigration.Engine.Cluster;

/// <summary>What steps 7 and 8 need: the commands, where the cluster answers, and how long each may take.</summary>
public sealed record ClusterSettings
{
    /// <summary>Where the commands run.</summary>
    public string ShopwareRoot { get; init; } = string.Empty;

    /// <summary>The restart command.</summary>
    public string RestartCommand { get; init; } = string.Empty;

    /// <summary>The ping command; null when none is known.</summary>
    public string? SmokeCommand { get; init; }

    /// <summary>The cluster's host.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The channel port the restart waits for.</summary>
    public int ChannelPort { get; init; } = 1439;

    /// <summary>The HTTP port (named in hints about stale workers).</summary>
    public int HttpPort { get; init; } = 1339;

    /// <summary>How long the restart command may run.</summary>
    public TimeSpan RestartTimeout { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>How long the channel port may take to answer after it.</summary>
    public TimeSpan PortTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the ping may run.</summary>
    public TimeSpan SmokeTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Whether the sellers move with the data plane, so the ping's seller count can be checked against the new location.</summary>
    public bool SellersMove { get; init; }
}
