using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Cluster;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Copy;
using MarketplaceMigration.Engine.Galera;
using MarketplaceMigration.Engine.Infrastructure;

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

    /// <summary>Where system_config lives and what runs after a direct write to it.</summary>
    public SystemConfigAccess SystemConfig =>
        new(Shopware, Profile.ShopwareRoot, Profile.CacheClearCommand, TimeSpan.FromSeconds(Profile.SmokeTimeoutSeconds));

    /// <summary>What steps 7 and 8 need.</summary>
    public ClusterSettings ClusterSettings =>
        new()
        {
            ShopwareRoot = Profile.ShopwareRoot,
            RestartCommand = Profile.ClusterRestartCommand,
            SmokeCommand = Profile.SmokeCommand,
            Host = Profile.FlyokaiHost,
            ChannelPort = Profile.ChannelPort,
            HttpPort = Profile.HttpPort,
            RestartTimeout = TimeSpan.FromSeconds(Profile.RestartTimeoutSeconds),
            PortTimeout = TimeSpan.FromSeconds(Profile.PortTimeoutSeconds),
            SmokeTimeout = TimeSpan.FromSeconds(Profile.SmokeTimeoutSeconds),
            SellersMove = Profile.Tables.Contains("flyokai_seller"),
        };

    /// <summary>How the copy runs.</summary>
    public CopySettings Copy => Profile.CopySettings;

    /// <summary>The Galera topology of one end (a standalone server is a topology of one).</summary>
    public Task<GaleraTopology> TopologyAsync(EndpointRole role, CancellationToken cancellationToken) =>
        GaleraTopology.ReadAsync(For(role), role == EndpointRole.Cluster ? Profile.ClusterNodes : Profile.ShopwareNodes, cancellationToken);

    /// <summary>
    /// This profile with each end's nodes as its server reports them (Get-MigrationProfile): a Galera end's nodes,
    /// none for a standalone server; an end that does not answer keeps the profile's list.
    /// </summary>
    public async Task<ResolvedProfile> WithReportedNodesAsync(Diagnostics.IRunObserver observer, CancellationToken cancellationToken)
    {
        async Task<IReadOnlyList<string>> NodesAsync(EndpointRole role, IReadOnlyList<string> configured)
        {
            try
            {
                var topology = await TopologyAsync(role, cancellationToken).ConfigureAwait(false);
                return topology.IsGalera
                    ? topology.Nodes.Select(n => $"{n.Endpoint.Host}:{n.Endpoint.Port}").ToList()
                    : Array.Empty<string>();
            }
            catch (Errors.MigrationException ex)
            {
                observer?.Verbose($"The {role} database's nodes could not be read ({ex.ErrorId}); showing the profile's.");
                return configured;
            }
        }

        var shopware = await NodesAsync(EndpointRole.Shopware, Profile.ShopwareNodes).ConfigureAwait(false);
        var cluster = await NodesAsync(EndpointRole.Cluster, Profile.ClusterNodes).ConfigureAwait(false);
        return new ResolvedProfile(Profile.WithNodes(shopware, cluster), Shopware, Cluster);
    }

    /// <summary>The target for one role.</summary>
    public ConnectionTarget For(EndpointRole role) => role == EndpointRole.Shopware ? Shopware : Cluster;
}
