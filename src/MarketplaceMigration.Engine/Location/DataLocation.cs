using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.DataPlane;

namespace MarketplaceMigration.Engine.Location;

/// <summary>Where the data plane lives, as both selectors say.</summary>
public sealed class DataLocation
{
    /// <summary>Creates the view.</summary>
    public DataLocation(string shopwareRoot, string dataLocation, string? clusterActive, string clusterConfigPath, bool maintenanceGate)
    {
        ShopwareRoot = shopwareRoot;
        ShopwareSelector = dataLocation;
        ClusterSelector = clusterActive;
        ClusterConfigPath = clusterConfigPath;
        MaintenanceGate = maintenanceGate;
    }

    /// <summary>The Shopware root.</summary>
    public string ShopwareRoot { get; }

    /// <summary>Shopware's <c>FlyokaiMarketplaceRemote.config.dataLocation</c>.</summary>
    public string ShopwareSelector { get; }

    /// <summary>The cluster file's <c>db.connection.active</c>.</summary>
    public string? ClusterSelector { get; }

    /// <summary>Both selectors agree.</summary>
    public bool Agree => ShopwareSelector == ClusterSelector;

    /// <summary>Where the data lives when they agree; null when they do not.</summary>
    public string? Location => Agree ? ShopwareSelector : null;

    /// <summary>The end both selectors name; null when they disagree (or name no end).</summary>
    public EndpointRole? Role() => Agree ? DataLocations.FromSelector(ShopwareSelector) : null;

    /// <summary>Whether either selector names <paramref name="role"/>.</summary>
    public bool EitherNames(EndpointRole role) => ShopwareSelector == role.Selector() || ClusterSelector == role.Selector();

    /// <summary>The cluster config file.</summary>
    public string ClusterConfigPath { get; }

    /// <summary>Whether the gate is set.</summary>
    public bool MaintenanceGate { get; }
}
