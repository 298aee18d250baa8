using MarketplaceMigration.Engine.Connections;

namespace MarketplaceMigration.Engine.Runs;

/// <summary>Source, target and selector value of a direction.</summary>
public static class MigrationDirectionExtensions
{
    /// <summary>The endpoint the data is read from.</summary>
    public static EndpointRole Source(this MigrationDirection direction) =>
        direction == MigrationDirection.ToCluster ? EndpointRole.Shopware : EndpointRole.Cluster;

    /// <summary>The endpoint the data is written to.</summary>
    public static EndpointRole Target(this MigrationDirection direction) =>
        direction == MigrationDirection.ToCluster ? EndpointRole.Cluster : EndpointRole.Shopware;

    /// <summary>The data location after the move: <c>cluster</c> or <c>shopware</c>.</summary>
    public static string Location(this MigrationDirection direction) => direction == MigrationDirection.ToCluster ? "cluster" : "shopware";

    /// <summary>The data location before the move.</summary>
    public static string SourceLocation(this MigrationDirection direction) =>
        direction == MigrationDirection.ToCluster ? "shopware" : "cluster";
}
