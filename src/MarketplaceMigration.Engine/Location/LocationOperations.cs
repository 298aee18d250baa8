using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.Diagnostics;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.Engine.Errors;
using MarketplaceMigration.Engine.Runs;
using MarketplaceMigration.Engine.State;
using MarketplaceMigration.Engine.Verify;

namespace MarketplaceMigration.Engine.Location;

/// <summary>Step 6 on its own (Set-DataLocation): flip both selectors, only when both ends hold the same rows, unless forced.</summary>
public static class LocationOperations
{
    /// <summary>Points both selectors at <paramref name="location"/> (shopware or cluster).</summary>
    public static async Task<DataLocation> SetAsync(
        ResolvedProfile resolved,
        string location,
        bool force,
        IRunObserver observer,
        CancellationToken cancellationToken
    )
    {
        if (resolved is null)
            throw new ArgumentNullException(nameof(resolved));
        observer ??= NullRunObserver.Instance;
        using var runLock = await RunLock
            .AcquireAsync(resolved.Profile.StateDirectory, resolved.Shopware, observer, cancellationToken)
            .ConfigureAwait(false);
        if (!force)
        {
            var other = location == "cluster" ? EndpointRole.Shopware : EndpointRole.Cluster;
            var results = await DataVerifier
                .VerifyAsync(
                    resolved.For(other),
                    resolved.For(location == "cluster" ? EndpointRole.Cluster : EndpointRole.Shopware),
                    resolved.Profile.Tables,
                    VerificationMode.Full,
                    new RunOptions().VerifyChunkRows,
                    resolved.Profile.Parallelism,
                    observer,
                    cancellationToken
                )
                .ConfigureAwait(false);
            var bad = results.Where(r => !r.Equal).ToList();
            if (bad.Count > 0)
            {
                throw new MigrationException(
                    ErrorIds.DataNotVerified,
                    MigrationErrorKind.VerificationFailed,
                    bad[0].Table,
                    $"The two ends do not hold the same rows ({string.Join(", ", bad.Take(5).Select(b => b.Table))} differ), so pointing the selectors at '{location}' would serve other data.",
                    "move the data with Start-DataMigration instead; use -SkipVerification only when you know the data at the new location is the current one."
                );
            }
        }

        var journal = new FlipJournal();
        await DataLocationFlip
            .FlipAsync(
                resolved,
                location,
                journal,
                "set-" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture),
                () => { },
                observer,
                cancellationToken
            )
            .ConfigureAwait(false);
        return await DataLocationFlip.ReadAsync(resolved, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The reference end (given, or where the selectors say the data lives) and the other end.</summary>
    public static async Task<(ConnectionTarget Source, ConnectionTarget Target)> ReferenceAndOtherAsync(
        ResolvedProfile resolved,
        EndpointRole? given,
        CancellationToken cancellationToken
    )
    {
        if (resolved is null)
            throw new ArgumentNullException(nameof(resolved));
        var source = await LiveRoleAsync(resolved, given, cancellationToken).ConfigureAwait(false);
        return (resolved.For(source), resolved.For(source == EndpointRole.Cluster ? EndpointRole.Shopware : EndpointRole.Cluster));
    }

    /// <summary>The endpoint whose data the selectors name; refuses when they disagree and no role is given.</summary>
    public static async Task<EndpointRole> LiveRoleAsync(ResolvedProfile resolved, EndpointRole? given, CancellationToken cancellationToken)
    {
        if (given.HasValue)
            return given.Value;
        var location = await DataLocationFlip.ReadAsync(resolved, cancellationToken).ConfigureAwait(false);
        if (!location.Agree)
        {
            throw new MigrationException(
                ErrorIds.SelectorsDisagree,
                MigrationErrorKind.PreflightFailed,
                location.ClusterConfigPath,
                $"The selectors disagree (Shopware '{location.ShopwareSelector}', cluster file '{location.ClusterSelector ?? "(not set)"}'), so it is unclear which end is the source.",
                "name it with -Source Shopware or -Source Cluster."
            );
        }

        return location.Location == "cluster" ? EndpointRole.Cluster : EndpointRole.Shopware;
    }
}
