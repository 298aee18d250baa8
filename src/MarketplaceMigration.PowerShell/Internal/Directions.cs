using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Runs;

namespace MarketplaceMigration.PowerShell.Internal;

/// <summary>The -To and -Source values users type, and what they mean to the engine.</summary>
public static class Directions
{
    /// <summary>Shopware's MySQL.</summary>
    public const string Shopware = nameof(Shopware);

    /// <summary>The cluster's MySQL.</summary>
    public const string Cluster = nameof(Cluster);

    /// <summary>-To Cluster means ToCluster.</summary>
    public static MigrationDirection To(string to) => to == Cluster ? MigrationDirection.ToCluster : MigrationDirection.ToShopware;

    /// <summary>The endpoint role of a -Source value.</summary>
    public static EndpointRole Role(string name) => name == Cluster ? EndpointRole.Cluster : EndpointRole.Shopware;

    /// <summary>The selector value (<c>cluster</c> / <c>shopware</c>).</summary>
    public static string Location(string name) => name == Cluster ? "cluster" : "shopware";
}
