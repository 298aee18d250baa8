using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.Engine.State;

namespace MarketplaceMigration.Engine.Steps;

/// <summary>
/// Takes a run's lock (<see cref="RunLock"/>) for the Shopware installation of <c>resolved</c>: on the node of
/// Shopware's database the tool reaches, and, when that database is a Galera cluster, on every other node too.
/// </summary>
public static class RunLocking
{
    /// <summary>The lock, or <c>RunInProgress</c>.</summary>
    public static async Task<RunLock> AcquireAsync(ResolvedProfile resolved, IRunObserver observer, CancellationToken cancellationToken)
    {
        if (resolved is null)
            throw new ArgumentNullException(nameof(resolved));
        var topology = await resolved.TopologyAsync(EndpointRole.Shopware, cancellationToken).ConfigureAwait(false);
        return await RunLock
            .AcquireAsync(resolved.Profile.StateDirectory, resolved.Shopware, topology.Nodes.Skip(1).ToList(), observer, cancellationToken)
            .ConfigureAwait(false);
    }
}
