using System;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Connections;
using MarketplaceMigration.Engine.DataPlane;
using MarketplaceMigration.Engine.Discovery;
using MarketplaceMigration.Engine.Errors;
using MarketplaceMigration.Engine.Location;

namespace MarketplaceMigration.Engine.Steps;

/// <summary>
/// Which end a single step outside a run treats as the reference: the one an operator names, else the
/// one both selectors name (the data lives there). Test-DataIntegrity, Compare-DataPlane and
/// Test-MarketplaceCluster ask this.
/// </summary>
public static class LiveEnd
{
    /// <summary>The end the data lives in (<paramref name="given"/> when named); refuses when the selectors disagree and none is named.</summary>
    public static async Task<EndpointRole> RoleAsync(ResolvedProfile resolved, EndpointRole? given, CancellationToken cancellationToken)
    {
        if (resolved is null)
            throw new ArgumentNullException(nameof(resolved));
        if (given.HasValue)
            return given.Value;
        var location = await DataLocationFlip
            .ReadAsync(resolved.SystemConfig, resolved.Profile.ClusterConfigPath, cancellationToken)
            .ConfigureAwait(false);
        if (location.Role() is { } role)
            return role;
        throw new MigrationException(
            ErrorIds.SelectorsDisagree,
            MigrationErrorKind.PreflightFailed,
            location.ClusterConfigPath,
            $"The selectors disagree (Shopware '{location.ShopwareSelector}', cluster file '{location.ClusterSelector ?? "(not set)"}'), "
                + "so it is unclear which end is the source.",
            $"name it with -Source {DataLocations.ShopwareParameter} or -Source {DataLocations.ClusterParameter}."
        );
    }

    /// <summary>The direction a single step reads from the live end (<paramref name="given"/> when named) toward the other.</summary>
    public static async Task<MigrationDirection> AwayAsync(
        ResolvedProfile resolved,
        EndpointRole? given,
        CancellationToken cancellationToken
    ) => DataLocations.Toward((await RoleAsync(resolved, given, cancellationToken).ConfigureAwait(false)).Other());
}
