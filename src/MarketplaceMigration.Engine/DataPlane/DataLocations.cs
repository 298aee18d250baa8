using System;
using MarketplaceMigration.Engine.Connections;

namespace MarketplaceMigration.Engine.DataPlane;

/// <summary>
/// Where the data plane lives is an <see cref="EndpointRole"/>; this is its one spelling. The selectors
/// (Shopware's <c>dataLocation</c> row and the cluster file's <c>db.connection.active</c>) hold
/// <c>shopware</c> or <c>cluster</c>; cmdlet parameters (<c>-To</c>, <c>-Source</c>, <c>-Endpoint</c>)
/// take <c>Shopware</c> or <c>Cluster</c>; a direction moves away from one and toward the other.
/// </summary>
public static class DataLocations
{
    /// <summary>The selector value naming Shopware's database.</summary>
    public const string ShopwareSelector = "shopware";

    /// <summary>The selector value naming the cluster's database.</summary>
    public const string ClusterSelector = "cluster";

    /// <summary>The parameter value naming Shopware's database.</summary>
    public const string ShopwareParameter = "Shopware";

    /// <summary>The parameter value naming the cluster's database.</summary>
    public const string ClusterParameter = "Cluster";

    /// <summary>The selector value of <paramref name="role"/>: <c>shopware</c> or <c>cluster</c>.</summary>
    public static string Selector(this EndpointRole role) => role == EndpointRole.Cluster ? ClusterSelector : ShopwareSelector;

    /// <summary>The parameter value of <paramref name="role"/>: <c>Shopware</c> or <c>Cluster</c>.</summary>
    public static string Parameter(this EndpointRole role) => role == EndpointRole.Cluster ? ClusterParameter : ShopwareParameter;

    /// <summary>The role a selector value names; null for no value or any other text.</summary>
    public static EndpointRole? FromSelector(string? selector) =>
        selector switch
        {
            ShopwareSelector => EndpointRole.Shopware,
            ClusterSelector => EndpointRole.Cluster,
            _ => null,
        };

    /// <summary>The role a parameter value names (case-insensitive, as PowerShell binds it).</summary>
    public static EndpointRole FromParameter(string parameter) =>
        string.Equals(parameter, ClusterParameter, StringComparison.OrdinalIgnoreCase) ? EndpointRole.Cluster
        : string.Equals(parameter, ShopwareParameter, StringComparison.OrdinalIgnoreCase) ? EndpointRole.Shopware
        : throw new ArgumentException(
            $"'{parameter}' names no endpoint: use {ShopwareParameter} or {ClusterParameter}.",
            nameof(parameter)
        );

    /// <summary>The other end.</summary>
    public static EndpointRole Other(this EndpointRole role) => role == EndpointRole.Cluster ? EndpointRole.Shopware : EndpointRole.Cluster;

    /// <summary>The direction that moves the data toward <paramref name="role"/>.</summary>
    public static MigrationDirection Toward(EndpointRole role) =>
        role == EndpointRole.Cluster ? MigrationDirection.ToCluster : MigrationDirection.ToShopware;
}
