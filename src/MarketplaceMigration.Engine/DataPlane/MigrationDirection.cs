namespace MarketplaceMigration.Engine.DataPlane;

/// <summary>Which way a run moves the data plane.</summary>
public enum MigrationDirection
{
    /// <summary>Shopware → cluster, then dataLocation = cluster.</summary>
    ToCluster,

    /// <summary>Cluster → Shopware, then dataLocation = shopware.</summary>
    ToShopware,
}
