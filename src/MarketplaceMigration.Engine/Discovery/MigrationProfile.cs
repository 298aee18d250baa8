using System.Collections.Generic;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Copy;
using MarketplaceMigration.Engine.Infrastructure;

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
        ClusterCommands commands,
        string stateDirectory,
        Timeouts timeouts,
        CopySettings copy
    )
    {
        if (remote is null)
            throw new System.ArgumentNullException(nameof(remote));
        if (clusterFile is null)
            throw new System.ArgumentNullException(nameof(clusterFile));
        Commands = commands ?? throw new System.ArgumentNullException(nameof(commands));
        TimeoutSettings = timeouts ?? throw new System.ArgumentNullException(nameof(timeouts));
        CopySettings = copy ?? throw new System.ArgumentNullException(nameof(copy));
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
        StateDirectory = stateDirectory;
    }

    /// <summary>The commands around the cluster and its ports, as one settings object.</summary>
    internal ClusterCommands Commands { get; }

    /// <summary>Every timeout, as one settings object.</summary>
    internal Timeouts TimeoutSettings { get; }

    /// <summary>How the copy runs, as one settings object.</summary>
    internal CopySettings CopySettings { get; }

    /// <summary>The Shopware installation's root directory.</summary>
    public string ShopwareRoot { get; }

    /// <summary>The profile file used, if any.</summary>
    public string? ProfilePath { get; }

    /// <summary>Shopware's database (user@host:port/db and where it was found).</summary>
    public ServerEndpoint Shopware { get; }

    /// <summary>The cluster's database.</summary>
    public ServerEndpoint Cluster { get; }

    /// <summary>
    /// The nodes of Shopware's database when it is a Galera cluster (host:port): the profile's
    /// <c>shopware.nodes</c>, or, from Get-MigrationProfile, the nodes the server reports. Empty: one server.
    /// </summary>
    public IReadOnlyList<string> ShopwareNodes { get; internal set; } = System.Array.Empty<string>();

    /// <summary>The nodes of the cluster's database when it is a Galera cluster (<c>cluster.nodes</c>, or as reported). Empty: one server.</summary>
    public IReadOnlyList<string> ClusterNodes { get; internal set; } = System.Array.Empty<string>();

    /// <summary>A copy with other node lists (what the servers report).</summary>
    internal MigrationProfile WithNodes(IReadOnlyList<string> shopware, IReadOnlyList<string> cluster)
    {
        var copy = (MigrationProfile)MemberwiseClone();
        copy.ShopwareNodes = shopware;
        copy.ClusterNodes = cluster;
        return copy;
    }

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
    public string ClusterRestartCommand => Commands.Restart;

    /// <summary>Step 8's ping command (null when none is known).</summary>
    public string? SmokeCommand => Commands.Smoke;

    /// <summary>Command run after each direct write to system_config (null: none).</summary>
    public string? CacheClearCommand => Commands.CacheClear;

    /// <summary>The cluster's host.</summary>
    public string FlyokaiHost => Commands.Host;

    /// <summary>The cluster's channel port (amp-channel-dispatcher).</summary>
    public int ChannelPort => Commands.ChannelPort;

    /// <summary>The cluster's HTTP port.</summary>
    public int HttpPort => Commands.HttpPort;

    /// <summary>Where the run state, lock and optional dump live.</summary>
    public string StateDirectory { get; }

    /// <summary>How long step 7 waits for the channel port.</summary>
    public int PortTimeoutSeconds => TimeoutSettings.PortSeconds;

    /// <summary>How long the restart command may run.</summary>
    public int RestartTimeoutSeconds => TimeoutSettings.RestartSeconds;

    /// <summary>How long the ping may run.</summary>
    public int SmokeTimeoutSeconds => TimeoutSettings.SmokeSeconds;

    /// <summary>How long a write of ours (TRUNCATE, ALTER, a chunk) waits for another session's lock before it fails.</summary>
    public int LockWaitSeconds => TimeoutSettings.LockWaitSeconds;

    /// <summary>Rows per copy chunk (null: adaptive).</summary>
    public int? ChunkRows => CopySettings.ChunkRows;

    /// <summary>Tables copied at the same time.</summary>
    public int Parallelism => CopySettings.Parallelism;

    /// <summary>The copy drops each target table's secondary indexes before its load and rebuilds them when its copy completes
    /// (profile <c>deferIndexes</c>, default true).</summary>
    public bool DeferIndexes => CopySettings.DeferIndexes;

    /// <summary>A table of fewer rows keeps its indexes during its load (profile <c>deferIndexesMinRows</c>, default 10,000).</summary>
    public long DeferIndexesMinRows => CopySettings.DeferIndexesMinRows;

    /// <summary>Copy rate limit across all tables (null: none).</summary>
    public int? MaxRowsPerSecond => CopySettings.Throttle.MaxRowsPerSecond;

    /// <summary>The source status variable that pauses the copy (null: none).</summary>
    public string? PauseStatus => CopySettings.Throttle.PauseStatus;

    /// <summary>The copy pauses while <see cref="PauseStatus"/> is above this.</summary>
    public long? PauseAbove => CopySettings.Throttle.PauseAbove;

    /// <summary>How long a chunk, a verification range or a system_config write may run before its link counts as stalled.</summary>
    public int StatementTimeoutSeconds => TimeoutSettings.StatementSeconds;

    /// <summary>How long step 2 waits for open transactions to drain.</summary>
    public int DrainTimeoutSeconds => TimeoutSettings.DrainSeconds;
}
