using MarketplaceMigration.Engine.Connections;

namespace MarketplaceMigration.Engine.Discovery;

/// <summary>
/// The resolver's result: the public <see cref="Profile"/> and the two connection targets that carry
/// the passwords. Only the profile is ever shown; the targets stay inside the engine and cmdlets.
/// </summary>
public sealed class ResolvedProfile
{
    /// <summary>Creates the result.</summary>
    public ResolvedProfile(MigrationProfile profile, ConnectionTarget shopware, ConnectionTarget cluster)
    {
        Profile = profile;
        Shopware = shopware;
        Cluster = cluster;
    }

    /// <summary>The settings without secrets.</summary>
    public MigrationProfile Profile { get; }

    /// <summary>Shopware's database with its password.</summary>
    public ConnectionTarget Shopware { get; }

    /// <summary>The cluster's database with its password.</summary>
    public ConnectionTarget Cluster { get; }

    /// <summary>The target for one role.</summary>
    public ConnectionTarget For(EndpointRole role) => role == EndpointRole.Shopware ? Shopware : Cluster;
}
