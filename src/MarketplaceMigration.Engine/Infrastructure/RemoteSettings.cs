using MarketplaceMigration.Engine.DataPlane;

namespace MarketplaceMigration.Engine.Infrastructure;

/// <summary>
/// The Remote add-on's global settings (<c>FlyokaiMarketplaceRemote.config.*</c> in <c>system_config</c>)
/// that a move needs. Absent rows take the documented defaults.
/// </summary>
public sealed record RemoteSettings
{
    /// <summary>The <c>system_config</c> key prefix of the Remote add-on.</summary>
    public const string KeyPrefix = "FlyokaiMarketplaceRemote.config.";

    /// <summary><c>dataLocation</c>: shopware or cluster.</summary>
    public string DataLocation { get; init; } = DataLocations.ShopwareSelector;

    /// <summary>Whether the row for <c>dataLocation</c> exists (false: the default applies).</summary>
    public bool DataLocationStored { get; init; }

    /// <summary><c>maintenance</c>: the gate.</summary>
    public bool Maintenance { get; init; }

    /// <summary><c>clusterConfigPath</c>.</summary>
    public string ClusterConfigPath { get; init; } = "/www/flyokai/flyokai/storage/flyok.config.json";

    /// <summary><c>clusterRestartCommand</c>.</summary>
    public string ClusterRestartCommand { get; init; } = "sudo systemctl restart flyokai-cluster";

    /// <summary><c>flyokaiHost</c>.</summary>
    public string FlyokaiHost { get; init; } = "127.0.0.1";

    /// <summary><c>flyokaiChannelPort</c>.</summary>
    public int ChannelPort { get; init; } = 1439;

    /// <summary><c>flyokaiHttpPort</c>.</summary>
    public int HttpPort { get; init; } = 1339;
}
