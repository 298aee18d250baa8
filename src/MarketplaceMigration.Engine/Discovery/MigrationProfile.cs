using System.Collections.Generic;
using MarketplaceMigration.Engine.Connections;

namespace MarketplaceMigration.Engine.Discovery;

/// <summary>
/// The resolved settings of a move, as an operator checks them before starting one. It holds no
/// secret, so it can be printed, serialised and piped into every other cmdlet (which re-resolve
/// from <see cref="ShopwareRoot"/>, <see cref="ProfilePath"/> and <see cref="ClusterConfigPath"/>).
/// </summary>
public sealed class MigrationProfile
{
    /// <summary>Creates the profile view.</summary>
    public MigrationProfile(
        string shopwareRoot,
        string? profilePath,
        ServerEndpoint shopware,
        ServerEndpoint cluster,
        IReadOnlyList<string> tables,
        string tablesSource,
        RemoteSettings remote,
        ClusterConfigFile clusterFile,
        string restartCommand,
        string? smokeCommand,
        string? cacheClearCommand,
        string flyokaiHost,
        int channelPort,
        int httpPort,
        string stateDirectory,
        IReadOnlyDictionary<string, int> timeouts,
        int? chunkRows,
        int parallelism,
        Copy.CopyThrottle throttle,
        bool deferIndexes = true
    )
    {
        DeferIndexes = deferIndexes;
        ShopwareRoot = shopwareRoot;
        ProfilePath = profilePath;
        Shopware = shopware;
        Cluster = cluster;
        Tables = tables;
        TablesSource = tablesSource;
        DataLocation = remote.DataLocation;
        DataLocationStored = remote.DataLocationStored;
        ClusterActive = clusterFile.Active;
        ClusterConfigPath = clusterFile.Path;
        MaintenanceGate = remote.Maintenance;
        ClusterRestartCommand = restartCommand;
        SmokeCommand = smokeCommand;
        CacheClearCommand = cacheClearCommand;
        FlyokaiHost = flyokaiHost;
        ChannelPort = channelPort;
        HttpPort = httpPort;
        StateDirectory = stateDirectory;
        PortTimeoutSeconds = timeouts.TryGetValue("portSeconds", out var p) ? p : 30;
        RestartTimeoutSeconds = timeouts.TryGetValue("restartSeconds", out var r) ? r : 300;
        SmokeTimeoutSeconds = timeouts.TryGetValue("smokeSeconds", out var s) ? s : 60;
        DrainTimeoutSeconds = timeouts.TryGetValue("drainSeconds", out var d) ? d : 60;
        LockWaitSeconds = timeouts.TryGetValue("lockWaitSeconds", out var l) ? l : 60;
        ChunkRows = chunkRows;
        Parallelism = parallelism;
        MaxRowsPerSecond = throttle.MaxRowsPerSecond;
        PauseStatus = throttle.PauseStatus;
        PauseAbove = throttle.PauseAbove;
    }

    /// <summary>The Shopware installation's root directory.</summary>
    public string ShopwareRoot { get; }

    /// <summary>The profile file used, if any.</summary>
    public string? ProfilePath { get; }

    /// <summary>Shopware's database (user@host:port/db and where it was found).</summary>
    public ServerEndpoint Shopware { get; }

    /// <summary>The cluster's database.</summary>
    public ServerEndpoint Cluster { get; }

    /// <summary>The data-plane tables that move.</summary>
    public IReadOnlyList<string> Tables { get; }

    /// <summary>Where the table list came from: the parameter, the profile or the documented default.</summary>
    public string TablesSource { get; }

    /// <summary>Shopware's selector, <c>FlyokaiMarketplaceRemote.config.dataLocation</c>: shopware or cluster.</summary>
    public string DataLocation { get; }

    /// <summary>False when no dataLocation row exists and the default (shopware) applies.</summary>
    public bool DataLocationStored { get; }

    /// <summary>The cluster's selector, <c>db.connection.active</c> in the cluster config file (null when absent).</summary>
    public string? ClusterActive { get; }

    /// <summary>Whether both selectors name the same database. When false, do not start writes: reconcile first.</summary>
    public bool DataLocationAgrees => string.Equals(DataLocation, ClusterActive, System.StringComparison.Ordinal);

    /// <summary>The cluster config file.</summary>
    public string ClusterConfigPath { get; }

    /// <summary>Whether the maintenance gate is set.</summary>
    public bool MaintenanceGate { get; }

    /// <summary>Step 7's restart command.</summary>
    public string ClusterRestartCommand { get; }

    /// <summary>Step 8's ping command (null when none is known).</summary>
    public string? SmokeCommand { get; }

    /// <summary>Command run after each direct write to system_config (null: none).</summary>
    public string? CacheClearCommand { get; }

    /// <summary>The cluster's host.</summary>
    public string FlyokaiHost { get; }

    /// <summary>The cluster's channel port (amp-channel-dispatcher).</summary>
    public int ChannelPort { get; }

    /// <summary>The cluster's HTTP port.</summary>
    public int HttpPort { get; }

    /// <summary>Where the run state, lock and optional dump live.</summary>
    public string StateDirectory { get; }

    /// <summary>How long step 7 waits for the channel port.</summary>
    public int PortTimeoutSeconds { get; }

    /// <summary>How long the restart command may run.</summary>
    public int RestartTimeoutSeconds { get; }

    /// <summary>How long the ping may run.</summary>
    public int SmokeTimeoutSeconds { get; }

    /// <summary>How long a write of ours (TRUNCATE, ALTER, a chunk) waits for another session's lock before it fails.</summary>
    public int LockWaitSeconds { get; }

    /// <summary>Rows per copy chunk (null: adaptive).</summary>
    public int? ChunkRows { get; }

    /// <summary>Tables copied at the same time.</summary>
    public int Parallelism { get; }

    /// <summary>The copy drops each target table's secondary indexes before its load and rebuilds them when its copy completes (profile <c>deferIndexes</c>, default true).</summary>
    public bool DeferIndexes { get; }

    /// <summary>Copy rate limit across all tables (null: none).</summary>
    public int? MaxRowsPerSecond { get; }

    /// <summary>The source status variable that pauses the copy (null: none).</summary>
    public string? PauseStatus { get; }

    /// <summary>The copy pauses while <see cref="PauseStatus"/> is above this.</summary>
    public long? PauseAbove { get; }

    /// <summary>The throttle these settings describe.</summary>
    public Copy.CopyThrottle Throttle() => new(MaxRowsPerSecond, PauseStatus, PauseAbove);

    /// <summary>How long step 2 waits for open transactions to drain.</summary>
    public int DrainTimeoutSeconds { get; }
}
