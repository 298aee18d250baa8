namespace MarketplaceMigration.Engine.Connections;

/// <summary>Which of the two databases an endpoint is.</summary>
public enum EndpointRole
{
    /// <summary>Shopware's MySQL: the identity plane always lives here.</summary>
    Shopware,

    /// <summary>The Flyokai cluster's MySQL.</summary>
    Cluster,
}
