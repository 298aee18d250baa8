using MarketplaceMigration.Engine.Connections;

namespace MarketplaceMigration.Engine.DataPlane;

/// <summary>The two ends of a direction (their spellings: <see cref="DataLocations"/>).</summary>
public static class MigrationDirectionExtensions
{
    /// <summary>The endpoint the data is read from: where it lives before the move.</summary>
    public static EndpointRole Source(this MigrationDirection direction) => direction.Target().Other();

    /// <summary>The endpoint the data is written to: where it lives after the move.</summary>
    public static EndpointRole Target(this MigrationDirection direction) =>
        direction == MigrationDirection.ToCluster ? EndpointRole.Cluster : EndpointRole.Shopware;
}
